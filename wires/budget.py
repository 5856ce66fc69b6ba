"""The day's budget and the week's calendar: what is pitched, assigned and scheduled, by day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from desk.models import Assignment
from wires.models import Pitch

# The Arab working week starts on Saturday in most of the Levant and the Gulf.
WEEK_STARTS_ON = 5  # date.weekday(): Monday 0 … Saturday 5
# The days a budget or a calendar may show: a week either side stays within Python's dates.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def week_start(day: date) -> date:
    return day - timedelta(days=(day.weekday() - WEEK_STARTS_ON) % 7)


@dataclass
class Budget:
    """What one day (or several) holds: pitches, assignments due, scheduled articles."""

    start: date
    days: int = 1
    pitches: list[Pitch] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    scheduled: list[Article] = field(default_factory=list)

    @classmethod
    def load(cls, start: date, days: int = 1) -> Budget:
        begin, _end = day_bounds(start)
        end = begin + timedelta(days=days)
        pitches = (
            Pitch.objects.filter(expected_at__gte=begin, expected_at__lt=end)
            .exclude(status=Pitch.Status.REJECTED)
            .select_related("section", "writer", "article")
        )
        assignments = (
            Assignment.objects.filter(due_at__gte=begin, due_at__lt=end)
            .select_related("article", "writer")
            .order_by("due_at")
        )
        scheduled = (
            Article.objects.filter(
                status__in=(Article.Status.SCHEDULED, Article.Status.PUBLISHED),
                published_at__gte=begin,
                published_at__lt=end,
            )
            .select_related("section")
            .order_by("published_at")
        )
        return cls(start, days, list(pitches), list(assignments), list(scheduled))

    def rows(self) -> list[tuple[str, list[list]]]:
        """The calendar's rows: (label, one list of entries per day)."""
        dates = [self.start + timedelta(days=n) for n in range(self.days)]

        def by_day(objects, moment):
            cells = {day: [] for day in dates}
            for obj in objects:
                cells.setdefault(timezone.localdate(moment(obj)), []).append(obj)
            return [cells[day] for day in dates]

        return [
            (_("Pitches"), by_day(self.pitches, lambda p: p.expected_at)),
            (_("Assignments due"), by_day(self.assignments, lambda a: a.due_at)),
            (_("Scheduled and published"), by_day(self.scheduled, lambda a: a.published_at)),
        ]

    @property
    def dates(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]
