"""Operations with side effects across models. See docs/view-counter.md for record_view."""

from __future__ import annotations

import logging
import random
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from articles import counting
from articles.counting import dedup_window

logger = logging.getLogger(__name__)
MAX_ID = 2**63 - 1  # bigint: a larger id is no article (404), not a database error

# One statement, one round trip, committed on its own (autocommit) before the answer is sent:
#  1. the article must exist and be published now;
#  2. the reader's dedup row is inserted, or moved forward only when the window has passed
#     (RETURNING gives a row only then, so a repeat inside the window stops here);
#  3. one of NEWSROOM_VIEW_SHARDS per-day counter rows is bumped with views = views + 1;
#  4. the new public total (legacy figure + recorded views) comes back.
# Data-modifying CTEs do not see each other's rows, hence "+ counted" in the total.
RECORD_VIEW_SQL = """
WITH article AS (
    SELECT id, view_count FROM articles_article
     WHERE id = %(article_id)s AND status IN ('published', 'scheduled') AND published_at <= %(now)s
), reader AS (
    INSERT INTO articles_viewreader AS seen (reader, article_id, seen_at)
    SELECT %(reader)s, id, %(now)s FROM article
        ON CONFLICT (reader, article_id) DO UPDATE SET seen_at = EXCLUDED.seen_at
           WHERE seen.seen_at <= %(cutoff)s
    RETURNING article_id
), bump AS (
    INSERT INTO articles_articleviewday AS counter (article_id, day, shard, views)
    SELECT article_id, %(day)s, %(shard)s, 1 FROM reader
        ON CONFLICT (article_id, day, shard) DO UPDATE SET views = counter.views + 1
    RETURNING 1
)
SELECT (SELECT count(*) FROM bump)::int AS counted,
       article.view_count
       + COALESCE((SELECT SUM(views) FROM articles_articleviewday
                    WHERE article_id = article.id), 0)::bigint AS total
  FROM article
"""


# With NEWSROOM_VIEW_SYNC_COMMIT off (the default) the statement runs with synchronous_commit
# off, in the same round trip: "SET LOCAL" and the statement form one implicit transaction
# (a multi-statement simple query; Django's psycopg binds parameters client-side). The view
# is committed and visible before the answer; only its WAL flush to disk is not awaited, so
# a PostgreSQL or machine crash (never a killed worker) can lose the last ~0.6 s of views.
ASYNC_COMMIT_PREFIX = "SET LOCAL synchronous_commit = off;\n"


# The statement is prepared once per database connection and then only EXECUTEd: planning
# it (0.5 ms) cost more than running it (0.4 ms). Parameters still go through Django's cursor.
PARAMETERS = ("article_id", "reader", "now", "cutoff", "day", "shard")


def _numbered(sql: str) -> str:
    for number, name in enumerate(PARAMETERS, start=1):
        sql = sql.replace(f"%({name})s", f"${number}")
    return sql


PREPARE_SQL = (
    "PREPARE newsroom_record_view (bigint, bytea, timestamptz, timestamptz, date, int) AS "
    + _numbered(RECORD_VIEW_SQL)
)
EXECUTE_SQL = "EXECUTE newsroom_record_view ({})".format(
    ", ".join(f"%({name})s" for name in PARAMETERS)
)
_prepared_on = weakref.WeakSet()  # psycopg connections that hold the prepared statement


def _prepare(cursor) -> None:
    """PREPARE the statement on this connection unless it already holds it."""
    raw = connection.connection
    if raw in _prepared_on:
        return
    cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = 'newsroom_record_view'")
    if cursor.fetchone() is None:
        cursor.execute(PREPARE_SQL)
    _prepared_on.add(raw)


@dataclass(frozen=True, slots=True)
class ViewResult:
    found: bool  # a published article with this id exists
    counted: bool  # this request added one view
    views: int | None  # the public total after this request


def record_view(*, article_id: int, reader: bytes, now: datetime | None = None) -> ViewResult:
    """Count a view of a published article by ``reader`` unless it was counted in the window."""
    now = now or timezone.now()
    params = {
        "article_id": article_id,
        "reader": reader,
        "now": now,
        "cutoff": now - dedup_window(),
        "day": timezone.localdate(now),
        "shard": random.randrange(settings.NEWSROOM_VIEW_SHARDS),
    }
    with connection.cursor() as cursor:
        _prepare(cursor)
        try:
            if settings.NEWSROOM_VIEW_SYNC_COMMIT:
                cursor.execute(EXECUTE_SQL, params)
            else:
                cursor.execute(ASYNC_COMMIT_PREFIX + EXECUTE_SQL, params)
                cursor.nextset()
        except DatabaseError:
            _prepared_on.discard(connection.connection)  # check again next time
            raise
        row = cursor.fetchone()
    if row is None:
        return ViewResult(found=False, counted=False, views=None)
    counted, total = row
    return ViewResult(found=True, counted=bool(counted), views=total + counted)


def count_view(
    *, meta, host: str, article_id: int, is_staff: Callable[[], bool] = bool
) -> tuple[int, dict]:
    """Judge and count one request to the view endpoint: ``(HTTP status, JSON payload)``.

    Shared by the Django views (articles/views.py) and the WSGI fast path
    (articles/view_wsgi.py), so both answer alike. ``meta`` is the WSGI environ, ``host``
    the validated Host; ``is_staff`` is asked last, only for requests that would count (it
    may read the session). The only database work is ``record_view`` (and the day's salt).
    A connection found broken (PostgreSQL restarted since the last view) is replaced and
    the view tried once more: safe, since a view that did commit is then a duplicate.
    """
    if article_id > MAX_ID:
        return 404, {"counted": False, "reason": "not-found"}
    for attempt in (1, 2):
        try:
            reason = counting.ignored_reason(meta, host)
            if reason is None and is_staff():
                reason = "staff"
            if reason == "cross-site":
                return 403, {"counted": False, "reason": reason}
            if reason:
                return 200, {"counted": False, "reason": reason}
            now = timezone.now()
            reader = counting.reader_hash(meta, timezone.localdate(now))
            result = record_view(article_id=article_id, reader=reader, now=now)
            break
        except DatabaseError:
            if attempt == 1 and connection.connection is not None and not connection.is_usable():
                connection.close()  # the next cursor connects afresh
                continue
            logger.exception("View of article %s not recorded", article_id)
            return 503, {"counted": False, "reason": "unavailable"}
    if not result.found:
        return 404, {"counted": False, "reason": "not-found"}
    reason = None if result.counted else "duplicate"
    return 200, {"counted": result.counted, "views": result.views, "reason": reason}
