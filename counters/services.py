"""The view counter's services: record one view, or a batch (group commit).
See counters/README.md."""

from __future__ import annotations

import logging
import random
import threading
import time
import weakref
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from psycopg.errors import InvalidSqlStatementName

from counters import readers
from counters.readers import dedup_window
from newsroom.database import client_side_cursor
from ops import metrics

logger = logging.getLogger(__name__)
MAX_ID = 2**63 - 1  # bigint: a larger id is no article (404), not a database error

# One statement, one round trip, committed on its own (autocommit) before the answer is sent:
#  1. the article must exist and be published now;
#  2. the reader's dedup row is inserted, or moved forward only when the window has passed
#     (RETURNING gives a row only then, so a repeat inside the window stops here);
#  3. one of NEWSROOM_VIEW_SHARDS per-day counter rows is bumped with views = views + 1, and
#     the same shard of the per-hour row (the desk's charts of the last hours);
#  4. the new public total (legacy figure + recorded views) comes back.
# Data-modifying CTEs do not see each other's rows, hence "+ counted" in the total.
# Lock order: every statement below upserts an article's day row before its hour row (the
# hourly upsert reads from ``bump``, so it cannot run first; a data-modifying CTE nobody
# reads runs at the end of its statement, in no promised order), and a batch takes its
# articles in id order. Opposite orders in two statements deadlocked under load: one of the
# pair was killed after deadlock_timeout (1 s), a 503 and a p99 of 1.8 s (make bench-views).
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
    RETURNING article_id
), hourly AS (
    INSERT INTO counters_articleviewhour AS counter (article_id, hour, shard, views)
    SELECT article_id, %(hour)s, %(shard)s, 1 FROM bump
        ON CONFLICT (article_id, hour, shard) DO UPDATE SET views = counter.views + 1
)
SELECT (SELECT count(*) FROM bump)::int AS counted,
       article.view_count
       + COALESCE((SELECT SUM(views) FROM articles_articleviewday
                    WHERE article_id = article.id), 0)::bigint AS total
  FROM article
"""


# With NEWSROOM_VIEW_SYNC_COMMIT off (the default) the statement runs with synchronous_commit
# off, in the same round trip: "SET LOCAL" and the statement form one implicit transaction
# (a multi-statement simple query: its parameters bound client-side, client_side_cursor). The view
# is committed and visible before the answer; only its WAL flush to disk is not awaited, so
# a PostgreSQL or machine crash (never a killed worker) can lose the last ~0.6 s of views.
ASYNC_COMMIT_PREFIX = "SET LOCAL synchronous_commit = off;\n"


# The statement is prepared once per database connection and then only EXECUTEd: planning
# it (0.5 ms) cost more than running it (0.4 ms). Parameters still go through Django's cursor.
PARAMETERS = ("article_id", "reader", "now", "cutoff", "day", "shard", "hour")


def _numbered(sql: str) -> str:
    for number, name in enumerate(PARAMETERS, start=1):
        sql = sql.replace(f"%({name})s", f"${number}")
    return sql


PREPARE_SQL = (
    "PREPARE newsroom_record_view "
    "(bigint, bytea, timestamptz, timestamptz, date, int, timestamptz) AS "
    + _numbered(RECORD_VIEW_SQL)
)
EXECUTE_SQL = "EXECUTE newsroom_record_view ({})".format(
    ", ".join(f"%({name})s" for name in PARAMETERS)
)
# psycopg connections that hold each prepared statement
_prepared_on: dict[str, weakref.WeakSet] = {}


def _prepare(cursor, name: str, sql: str) -> None:
    """PREPARE the statement on this connection unless it already holds it."""
    raw = connection.connection
    holders = _prepared_on.setdefault(name, weakref.WeakSet())
    if raw in holders:
        return
    cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute(sql)
    holders.add(raw)


def _forget_prepared() -> None:
    """After an error: check again whether this connection holds the statements."""
    for holders in _prepared_on.values():
        holders.discard(connection.connection)


def _execute(cursor, statement: str, params: dict, name: str, prepare_sql: str) -> None:
    """EXECUTE a prepared view statement in autocommit, with synchronous_commit off unless
    NEWSROOM_VIEW_SYNC_COMMIT, preparing it first if this connection does not hold it.

    A statement found missing is prepared again and run once more: psycopg deallocates every
    statement of a connection after a ROLLBACK there (its own, prepared for the pages'
    queries, and ours: settings.py), and so may a pooler. Nothing ran, so nothing counts
    twice. Inside a transaction (a test's) the attempt is a savepoint, so that the failure
    does not abort it. Any other database error makes the connection check again next time.
    """
    for attempt in (1, 2):
        _prepare(cursor, name, prepare_sql)
        try:
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                if settings.NEWSROOM_VIEW_SYNC_COMMIT:
                    cursor.execute(statement, params)
                else:
                    cursor.execute(ASYNC_COMMIT_PREFIX + statement, params)
                    cursor.nextset()
            return
        except DatabaseError as error:
            _forget_prepared()
            if attempt == 2 or not isinstance(error.__cause__, InvalidSqlStatementName):
                raise


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
        "hour": now.replace(minute=0, second=0, microsecond=0),
    }
    with client_side_cursor(connection) as cursor:
        _execute(cursor, EXECUTE_SQL, params, "newsroom_record_view", PREPARE_SQL)
        row = cursor.fetchone()
    if row is None:
        return ViewResult(found=False, counted=False, views=None)
    counted, total = row
    return ViewResult(found=True, counted=bool(counted), views=total + counted)


# GROUP COMMIT (the WSGI fast path, threaded workers)
#
# Views arriving together in one process are recorded by one statement: the first thread
# runs it for everyone waiting; threads that come meanwhile queue up and the next batch
# takes them all. Each request is still answered only once its own view is committed, so
# nothing is buffered (a killed worker loses nothing answered); a batch only shares one
# round trip, one plan and one commit. Same steps as RECORD_VIEW_SQL, for N (article,
# reader) pairs; a pair appears at most once per batch (ON CONFLICT may touch a row once).
RECORD_VIEWS_SQL = """
WITH input AS (
    SELECT * FROM unnest($1::bigint[], $2::bytea[]) WITH ORDINALITY AS t(article_id, reader, n)
), article AS (
    SELECT id, view_count FROM articles_article
     WHERE id IN (SELECT article_id FROM input)
       AND status IN ('published', 'scheduled') AND published_at <= $3
), reader AS (
    INSERT INTO articles_viewreader AS seen (reader, article_id, seen_at)
    SELECT input.reader, input.article_id, $3
      FROM input JOIN article ON article.id = input.article_id
        ON CONFLICT (reader, article_id) DO UPDATE SET seen_at = EXCLUDED.seen_at
           WHERE seen.seen_at <= $4
    RETURNING reader, article_id
), batch AS (
    SELECT article_id, count(*)::int AS counted FROM reader GROUP BY article_id
), bump AS (
    INSERT INTO articles_articleviewday AS counter (article_id, day, shard, views)
    SELECT article_id, $5, $6, counted FROM batch ORDER BY article_id
        ON CONFLICT (article_id, day, shard) DO UPDATE SET views = counter.views + EXCLUDED.views
    RETURNING article_id
), hourly AS (
    INSERT INTO counters_articleviewhour AS counter (article_id, hour, shard, views)
    SELECT bump.article_id, $7, $6, batch.counted
      FROM bump JOIN batch ON batch.article_id = bump.article_id
        ON CONFLICT (article_id, hour, shard) DO UPDATE SET views = counter.views + EXCLUDED.views
)
SELECT input.n, article.id IS NOT NULL AS found, reader.reader IS NOT NULL AS counted,
       article.view_count + COALESCE(batch.counted, 0)
       + COALESCE((SELECT SUM(views) FROM articles_articleviewday
                    WHERE article_id = article.id), 0)::bigint AS total
  FROM input
  LEFT JOIN article ON article.id = input.article_id
  LEFT JOIN reader ON reader.reader = input.reader AND reader.article_id = input.article_id
  LEFT JOIN batch ON batch.article_id = input.article_id
 ORDER BY input.n
"""
PREPARE_MANY_SQL = (
    "PREPARE newsroom_record_views "
    "(bigint[], bytea[], timestamptz, timestamptz, date, int, timestamptz) AS " + RECORD_VIEWS_SQL
)
EXECUTE_MANY_SQL = (
    "EXECUTE newsroom_record_views (%(article_ids)s::bigint[], %(readers)s::bytea[], "
    "%(now)s, %(cutoff)s, %(day)s, %(shard)s, %(hour)s)"
)
MAX_BATCH = 64


def record_views(pairs: list[tuple[int, bytes]], now: datetime | None = None) -> list[ViewResult]:
    """``record_view`` for distinct (article_id, reader) pairs in one statement, in order.

    The views counted for one article in the batch bump a single shard row (+k); every pair
    of that article gets the same new total.
    """
    if len(pairs) == 1:
        (article_id, reader), *_ = pairs
        return [record_view(article_id=article_id, reader=reader, now=now)]
    now = now or timezone.now()
    params = {
        "article_ids": [article_id for article_id, _reader in pairs],
        "readers": [reader for _article_id, reader in pairs],
        "now": now,
        "cutoff": now - dedup_window(),
        "day": timezone.localdate(now),
        "shard": random.randrange(settings.NEWSROOM_VIEW_SHARDS),
        "hour": now.replace(minute=0, second=0, microsecond=0),
    }
    with client_side_cursor(connection) as cursor:
        _execute(cursor, EXECUTE_MANY_SQL, params, "newsroom_record_views", PREPARE_MANY_SQL)
        rows = cursor.fetchall()
    return [
        ViewResult(found=found, counted=counted, views=total if found else None)
        for _n, found, counted, total in rows
    ]


class _Pending:
    __slots__ = ("article_id", "done", "error", "lead", "reader", "result")

    def __init__(self, article_id: int, reader: bytes):
        self.article_id, self.reader = article_id, reader
        self.done = threading.Event()
        self.lead = False  # woken to run the next batch rather than with a result
        self.result = self.error = None


class ViewBatcher:
    """Group commit of views for the threads of one process (see RECORD_VIEWS_SQL).

    ``record`` has ``record_view``'s signature and answer. The thread that finds nobody
    recording runs a batch of everything queued (its own view included) on its own
    database connection, then passes the lead to the first thread still queued.
    """

    def __init__(self, max_batch: int = MAX_BATCH):
        self.max_batch = max_batch
        self.lock = threading.Lock()
        self.queue: list[_Pending] = []
        self.running = False

    def record(self, *, article_id: int, reader: bytes, now: datetime | None = None) -> ViewResult:
        item = _Pending(article_id, reader)
        with self.lock:
            self.queue.append(item)
            lead = not self.running
            self.running = True
        while not lead:
            item.done.wait()
            if not item.lead:
                if item.error is not None:
                    raise item.error
                return item.result
            item.done.clear()
            lead = True
        self._run_batch()
        if item.error is not None:
            raise item.error
        return item.result

    def _take(self) -> list[_Pending]:
        """Queued views with distinct (article, reader) pairs, oldest first (under the lock)."""
        batch, rest, seen = [], [], set()
        for pending in self.queue:
            pair = (pending.article_id, pending.reader)
            if pair in seen or len(batch) >= self.max_batch:
                rest.append(pending)  # a repeat waits for the next batch (then: duplicate)
            else:
                seen.add(pair)
                batch.append(pending)
        self.queue = rest
        return batch

    def _run_batch(self) -> None:
        with self.lock:
            batch = self._take()
        try:
            results = self._record([(p.article_id, p.reader) for p in batch])
            for pending, result in zip(batch, results, strict=True):
                pending.result = result
        except Exception as error:  # every view of the batch fails alike (503, or a 500 bug)
            for pending in batch:
                pending.error = error
        finally:
            with self.lock:
                if self.queue:  # hand the lead to the oldest waiting thread
                    self.queue[0].lead = True
                    self.queue[0].done.set()
                else:
                    self.running = False
            for pending in batch:
                pending.done.set()

    @staticmethod
    def _record(pairs):
        try:
            return record_views(pairs)
        except DatabaseError:
            if connection.connection is None or connection.is_usable():
                raise
            connection.close()  # broken (PostgreSQL restarted): once more on a new one
            return record_views(pairs)


def count_view(
    *,
    meta,
    host: str,
    article_id: int,
    is_staff: Callable[[], bool] = bool,
    record: Callable[..., ViewResult] | None = None,
) -> tuple[int, dict]:
    """Judge and count one request to the view endpoint: ``(HTTP status, JSON payload)``.

    Shared by the Django views (articles/views.py) and the WSGI fast path
    (counters/wsgi.py), so both answer alike. ``meta`` is the WSGI environ, ``host``
    the validated Host; ``is_staff`` is asked last, only for requests that would count (it
    may read the session). The only database work is ``record_view`` (or ``record``, e.g.
    a ``ViewBatcher``'s) and, once a day, the day's salt.
    A connection found broken (PostgreSQL restarted since the last view) is replaced and
    the view tried once more: safe, since a view that did commit is then a duplicate.
    """
    if article_id > MAX_ID:
        return 404, {"counted": False, "reason": "not-found"}
    arrived = time.perf_counter()  # for the lag to the database (ops/metrics.py)
    for attempt in (1, 2):
        try:
            reason = readers.ignored_reason(meta, host)
            if reason is None and is_staff():
                reason = "staff"
            if reason == "cross-site":
                return 403, {"counted": False, "reason": reason}
            if reason:
                return 200, {"counted": False, "reason": reason}
            now = timezone.now()
            reader = readers.reader_hash(meta, timezone.localdate(now))
            result = (record or record_view)(article_id=article_id, reader=reader, now=now)
            break
        except DatabaseError:
            if attempt == 1 and connection.connection is not None and not connection.is_usable():
                connection.close()  # the next cursor connects afresh
                continue
            logger.exception("View of article %s not recorded", article_id)
            return 503, {"counted": False, "reason": "unavailable"}
    if not result.found:
        return 404, {"counted": False, "reason": "not-found"}
    if result.counted:  # committed: the answer below tells the reader so
        metrics.view_counted(time.perf_counter() - arrived)
    reason = None if result.counted else "duplicate"
    return 200, {"counted": result.counted, "views": result.views, "reason": reason}
