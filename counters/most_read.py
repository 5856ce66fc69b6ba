"""The "most read" lists: today, this week, this month and all time, site-wide and per
section, ranked in one query from the per-day view counts and kept in the cache."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles.models import slug_url
from ops.routers import reading_connection

PERIODS = (
    ("today", _("Today")),
    ("week", _("Past 7 days")),
    ("month", _("Past 30 days")),
    ("all", _("All time")),
)
MOST_READ_CACHE_KEY = "articles:most-read:v1"


@dataclass(frozen=True, slots=True)
class MostReadEntry:
    id: int
    section_id: int
    slug: str
    title_ar: str
    title_en: str
    views: int

    @property
    def title(self) -> str:
        if (get_language() or "").startswith("en") and self.title_en:
            return self.title_en
        return self.title_ar

    def get_absolute_url(self) -> str:
        return slug_url("articles:detail", self.slug)


MOST_READ_SQL = """
WITH recorded AS (
    SELECT article_id,
           SUM(views) FILTER (WHERE day >= %(today)s)::bigint AS today,
           SUM(views) FILTER (WHERE day >= %(week)s)::bigint AS week,
           SUM(views) FILTER (WHERE day >= %(month)s)::bigint AS month,
           SUM(views)::bigint AS total
      FROM articles_articleviewday
     GROUP BY article_id
), scored AS (
    SELECT a.id, a.section_id, a.slug, a.title_ar, COALESCE(a.title_en, '') AS title_en,
           COALESCE(r.today, 0) AS today, COALESCE(r.week, 0) AS week,
           COALESCE(r.month, 0) AS month, a.view_count + COALESCE(r.total, 0) AS "all"
      FROM articles_article a
      LEFT JOIN recorded r ON r.article_id = a.id
     WHERE a.status IN ('published', 'scheduled') AND a.published_at <= %(now)s
), ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY section_id ORDER BY today DESC, id DESC) AS r_today,
           row_number() OVER (PARTITION BY section_id ORDER BY week DESC, id DESC) AS r_week,
           row_number() OVER (PARTITION BY section_id ORDER BY month DESC, id DESC) AS r_month,
           row_number() OVER (PARTITION BY section_id ORDER BY "all" DESC, id DESC) AS r_all
      FROM scored
)
SELECT id, section_id, slug, title_ar, title_en, today, week, month, "all"
  FROM ranked
 WHERE (r_today <= %(size)s AND today > 0) OR (r_week <= %(size)s AND week > 0)
    OR (r_month <= %(size)s AND month > 0) OR (r_all <= %(size)s AND "all" > 0)
"""


def most_read_rows() -> list[tuple]:
    """Every article in some section's top N for some period, in one query."""
    today = timezone.localdate()
    params = {
        "today": today,
        "week": today - timedelta(days=6),
        "month": today - timedelta(days=29),
        "now": timezone.now(),
        "size": settings.NEWSROOM_MOST_READ_SIZE,
    }
    with reading_connection().cursor() as cursor:  # a replica for anonymous readers
        cursor.execute(MOST_READ_SQL, params)
        return cursor.fetchall()


def cached_most_read_rows() -> list[tuple]:
    """The rows above from the cache, recomputed every NEWSROOM_MOST_READ_SECONDS."""
    rows = cache.get(MOST_READ_CACHE_KEY)
    if rows is None:
        rows = most_read_rows()
        cache.set(MOST_READ_CACHE_KEY, rows, settings.NEWSROOM_MOST_READ_SECONDS)
    return rows


def most_read(
    section_id: int | None = None, rows: list[tuple] | None = None
) -> list[tuple[str, str, list[MostReadEntry]]]:
    """``[(period, label, entries)]`` for the site (or one section), periods with views only."""
    rows = cached_most_read_rows() if rows is None else rows
    if section_id is not None:
        rows = [row for row in rows if row[1] == section_id]
    size = settings.NEWSROOM_MOST_READ_SIZE
    result = []
    for index, (period, label) in enumerate(PERIODS, start=5):
        ranked = sorted(
            (row for row in rows if row[index] > 0), key=lambda row: (-row[index], -row[0])
        )
        entries = [MostReadEntry(*row[:5], views=row[index]) for row in ranked[:size]]
        if entries:
            result.append((period, label, entries))
    return result


def listed_in_most_read(article_id: int, section_id: int | None) -> bool | None:
    """Whether the site's (or the section's) "most read" lists now show the article; None
    when the ranking is not in the cache (then nobody knows without a query)."""
    rows = cache.get(MOST_READ_CACHE_KEY)
    if rows is None:
        return None
    return any(
        entry.id == article_id
        for _period, _label, entries in most_read(section_id, rows)
        for entry in entries
    )
