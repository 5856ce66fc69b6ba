"""The editors' dashboard (the admin index for the desk roles) and the article's own chart.

The dashboard costs five queries (six when the scheduled queue is longer than its list)
whatever the number of articles, views or comments: each figure is one aggregate, the lists
are limited (tests/desk/test_dashboard.py holds it to that).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Sum
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.dates import format_date, local_digits, local_number
from articles.models import Article
from counters.models import ArticleViewDay, ArticleViewHour
from desk.charts import Point, bar_chart

HOURS_SHOWN = 48
DAYS_SHOWN = 30
SCHEDULED_SHOWN = 10
MOST_READ_SHOWN = 10


def _title(row: dict) -> str:
    if (get_language() or "").startswith("en") and row.get("article__title_en"):
        return row["article__title_en"]
    return row.get("article__title_ar") or ""


def waiting_comments() -> int:
    import django_comments

    comments = django_comments.get_model().objects
    if hasattr(comments, "waiting"):
        return comments.waiting().count()
    return comments.filter(is_public=False, is_removed=False).count()


def hourly_points(rows: dict, now: datetime) -> list[Point]:
    """The last HOURS_SHOWN hours, oldest first, hours without views included (as 0)."""
    current = now.replace(minute=0, second=0, microsecond=0)
    points = []
    for back in range(HOURS_SHOWN - 1, -1, -1):
        hour = current - timedelta(hours=back)
        local = timezone.localtime(hour)
        points.append(
            Point(
                label=format_date(local, with_time=True),
                tick=local_digits(f"{local:%H}:00"),
                value=rows.get(hour, 0),
            )
        )
    return points


def dashboard_context(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    published_today = Article.objects.published().filter(published_at__gte=midnight).count()
    queue = Article.objects.filter(status=Article.Status.SCHEDULED, published_at__gt=now)
    scheduled = list(
        queue.order_by("published_at").only("pk", "title", "title_ar", "title_en", "published_at")[
            :SCHEDULED_SHOWN
        ]
    )
    scheduled_count = queue.count() if len(scheduled) == SCHEDULED_SHOWN else len(scheduled)
    since_hour = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=HOURS_SHOWN - 1)
    most_read = list(
        ArticleViewHour.objects.filter(hour__gt=now - timedelta(hours=24))
        .values("article_id", "article__title_ar", "article__title_en")
        .annotate(views=Sum("views"))
        .order_by("-views", "article_id")[:MOST_READ_SHOWN]
    )
    for row in most_read:
        row["title"] = _title(row)
        row["views_shown"] = local_number(row["views"])
    hours = dict(
        ArticleViewHour.objects.filter(hour__gte=since_hour)
        .values("hour")
        .annotate(views=Sum("views"))
        .values_list("hour", "views")
    )
    chart = bar_chart(
        chart_id="desk-views-per-hour",
        title=_("Views per hour, last 48 hours"),
        points=hourly_points(hours, now),
        column=_("hour"),
        tick_every=6,
    )
    return {
        "published_today": local_digits(published_today),
        "scheduled": scheduled,
        "scheduled_count": local_digits(scheduled_count),
        "comments_waiting": local_digits(waiting_comments()),
        "most_read": most_read,
        "hourly_chart": chart,
    }


def daily_chart(article: Article, today=None) -> SafeString:
    """The article's views per day for the last DAYS_SHOWN days (one query)."""
    return _daily_chart(f"desk-views-per-day-{article.pk}", {"article": article}, today)


def section_daily_chart(section, today=None) -> SafeString:
    """The views per day of a section's articles for the last DAYS_SHOWN days (one query)."""
    return _daily_chart(f"desk-section-views-{section.pk}", {"article__section": section}, today)


def _daily_chart(chart_id: str, which: dict, today=None) -> SafeString:
    today = today or timezone.localdate()
    since = today - timedelta(days=DAYS_SHOWN - 1)
    days = dict(
        ArticleViewDay.objects.filter(day__gte=since, **which)
        .values("day")
        .annotate(views=Sum("views"))
        .values_list("day", "views")
    )
    points = []
    for offset in range(DAYS_SHOWN):
        day = since + timedelta(days=offset)
        points.append(
            Point(label=format_date(day), tick=local_digits(day.day), value=days.get(day, 0))
        )
    return bar_chart(
        chart_id=chart_id,
        title=_("Views per day, last 30 days"),
        points=points,
        column=_("day"),
        tick_every=3,
    )
