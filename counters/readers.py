"""Who counts as a reader, and how long they are remembered. See counters/README.md.

A view is counted for a *reader*: a keyed BLAKE2 hash of the client's IP address and user
agent under a random salt that changes every local day (and is then deleted), so no IP
address is ever stored and yesterday's hashes cannot be linked to anyone. Requests that are
not a person reading (bots, link previews, prefetch and prerender, staff) are told apart here.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.utils import timezone

from newsroom.client import client_key

# User agents of crawlers, link-preview fetchers, monitors, headless tools and HTTP libraries.
# Matched anywhere in the lowercased header (a third of the time re.IGNORECASE takes: this
# runs for every view). An empty user agent is a bot too.
BOT_PATTERN = re.compile(
    r"(?<!cu)bot\b|bot/|crawl|spider|slurp|scrap|archiver|fetcher|preview|facebookexternalhit|"
    r"facebookcatalog|meta-externalagent|whatsapp|telegrambot|slackbot|slack-imgproxy|"
    r"discordbot|skypeuri|vkshare|pinterest/0\.|embedly|quora link|outbrain|flipboardproxy|"
    r"tumblr|nuzzel|google-inspectiontool|googleother|google-read-aloud|mediapartners|"
    r"lighthouse|pagespeed|headlesschrome|phantomjs|selenium|puppeteer|playwright|"
    r"curl|wget|python|httpx|aiohttp|java/|okhttp|go-http-client|libwww|perl|ruby|php/|"
    r"node-fetch|axios|postman|insomnia|httpie|uptime|pingdom|statuscake|monitor|check_http|"
    r"ahrefs|semrush|mj12|petalbot|bytespider|gptbot|ccbot|perplexity|amazonbot"
)

_salts: dict[date, bytes] = {}  # this process's copy of the day's salt


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOT_PATTERN.search(user_agent.lower()))


def is_prefetch(meta) -> bool:
    """Prefetch or prerender: Sec-Purpose (Chrome), Purpose (older Chrome, Safari), X-Moz."""
    purpose = " ".join(
        meta.get(header, "")
        for header in ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
    ).lower()
    return any(word in purpose for word in ("prefetch", "prerender", "preview"))


def ignored_reason(meta, host: str) -> str | None:
    """Why a request is not a reader's view, judged from its headers alone (no query).

    ``meta`` is the WSGI environ (``request.META``), ``host`` the validated Host
    (``request.get_host()``). "cross-site": another site made the browser send it (refused
    with 403); "prefetch" and "bot": answered, not counted. Staff are told apart by the
    caller, which alone knows the session.
    """
    fetch_site = meta.get("HTTP_SEC_FETCH_SITE")
    origin = meta.get("HTTP_ORIGIN")
    if fetch_site and fetch_site != "same-origin":
        return "cross-site"
    if origin and urlsplit(origin).netloc != host:
        return "cross-site"
    if is_prefetch(meta):
        return "prefetch"
    if is_bot(meta.get("HTTP_USER_AGENT", "")):
        return "bot"
    return None


def day_salt(day: date) -> bytes:
    """The random salt for ``day``, shared by every process through the database.

    The first process to need a day's salt creates it; the rest read it. Salts of earlier
    days are deleted at the same time, with the dedup rows they keyed.
    """
    salt = _salts.get(day)
    if salt is not None:
        return salt
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_viewsalt (day, salt) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            [day, secrets.token_bytes(32)],
        )
        first_today = cursor.rowcount == 1
        cursor.execute("SELECT salt FROM articles_viewsalt WHERE day = %s", [day])
        salt = bytes(cursor.fetchone()[0])
        cursor.execute("DELETE FROM articles_viewsalt WHERE day < %s", [day])
    purge_readers()
    if first_today:  # one process a day does the nightly housekeeping
        compact_days(before=day)
    _salts.clear()
    _salts[day] = salt
    return salt


def reader_hash(meta, day: date) -> bytes:
    """16 bytes that stand for this reader today; the IP address itself is never kept."""
    identity = f"{client_key(meta)}\n{meta.get('HTTP_USER_AGENT', '')}".encode()
    return hashlib.blake2b(identity, key=day_salt(day), digest_size=16).digest()


def dedup_window() -> timedelta:
    return timedelta(minutes=settings.NEWSROOM_VIEW_WINDOW_MINUTES)


def purge_readers(now=None, *, batch_size: int | None = None, progress=None) -> int:
    """Forget dedup rows older than the window; returns how many were deleted.

    With ``batch_size``, at most that many rows per DELETE, each committed on its own (when
    not inside a transaction): a big backlog never holds one long statement and its locks.
    The hourly rows past NEWSROOM_VIEW_HOURS_KEPT go the same way, first.
    ``progress(deleted_so_far)`` is called after each batch of dedup rows.
    """
    now = now or timezone.now()
    cutoff = now - dedup_window()
    hours_kept = timedelta(hours=settings.NEWSROOM_VIEW_HOURS_KEPT)
    with connection.cursor() as cursor:
        # The hourly rows (the desk's charts) outlive the dedup rows by far, but not forever.
        delete_rows(cursor, "counters_articleviewhour", "hour < %s", [now - hours_kept], batch_size)
        return delete_rows(
            cursor, "articles_viewreader", "seen_at < %s", [cutoff], batch_size, progress
        )


def delete_rows(cursor, table, condition, params, batch_size=None, progress=None) -> int:
    """DELETE the rows of ``table`` matching ``condition``: in one statement, or at most
    ``batch_size`` per statement until none is left. Returns how many were deleted."""
    if batch_size is None:
        cursor.execute(f"DELETE FROM {table} WHERE {condition}", params)
        return cursor.rowcount
    deleted = 0
    while True:
        cursor.execute(
            f"DELETE FROM {table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {table} "
            f"WHERE {condition} LIMIT %s))",
            [*params, batch_size],
        )
        deleted += cursor.rowcount
        if progress is not None:
            progress(deleted)
        if cursor.rowcount < batch_size:
            return deleted


COMPACT_SQL = """
WITH moved AS (
    DELETE FROM articles_articleviewday WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM articles_articleviewday WHERE day < %(before)s AND shard <> 0
        {limit}
    ))
    RETURNING article_id, day, views
), folded AS (
    INSERT INTO articles_articleviewday AS counter (article_id, day, shard, views)
    SELECT article_id, day, 0, SUM(views) FROM moved GROUP BY article_id, day
        ON CONFLICT (article_id, day, shard) DO UPDATE SET views = counter.views + EXCLUDED.views
    RETURNING 1
)
SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM folded)
"""


def compact_days(before: date, *, batch_size: int | None = None, progress=None) -> int:
    """Fold the shard rows of days before ``before`` into one row per article and day.

    Past days take no more writes, so their shards are no longer needed; folding keeps the
    per-article total (a SUM in every recorded view) cheap. Each statement moves shard rows
    into the day's row 0 at once: nothing is lost or counted twice even if a late view of
    yesterday lands meanwhile (it waits, or makes a new shard row that the next compaction
    folds). With ``batch_size``, at most that many shard rows per statement (each committed
    on its own outside a transaction), until none is left: after a day of a million read
    articles, no single statement holds them all. The shard rows are found through their
    own partial index (``article_view_day_shards_idx``), not among every past day's row.
    ``progress(shard_rows_folded_so_far)`` after each batch. Returns the shard rows folded.
    """
    limit = "" if batch_size is None else "LIMIT %(limit)s"
    folded = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(COMPACT_SQL.format(limit=limit), {"before": before, "limit": batch_size})
            moved, _written = cursor.fetchone()
            folded += moved
            if progress is not None:
                progress(folded)
            if batch_size is None or moved == 0:
                return folded
