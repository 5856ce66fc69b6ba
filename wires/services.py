"""The wires and the budget's operations: polling feeds, storing each item once, flagging the
drafts taken from an item the agency changed, taking a wire into a draft, approving a pitch
into an assigned draft, and purging old wires."""

from __future__ import annotations

import html
import logging
import re
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles.html import sanitize_html
from articles.models import Article, Byline
from articles.services import save_article
from articles.text import normalize_arabic
from desk.models import Assignment, Note
from wires.client import fetch
from wires.models import Feed, Pitch, TakenWire, WireItem
from wires.parsers import FeedError, ParsedItem, parse

logger = logging.getLogger("wires")
BATCH = 1000


TAG = re.compile(r"<[^>]*>")


def search_text(headline: str, body: str) -> str:
    """The folded words the queue's search looks in (the body is sanitised HTML already)."""
    return normalize_arabic(f"{headline} {html.unescape(TAG.sub(' ', body))}").lower()


INSERT_COLUMNS = (
    "guid", "version", "content_hash", "headline", "body", "lang", "link", "published_at",
    "updated_at", "status", "search_text",
)  # fmt: skip
INSERT_TYPES = ("text", "int", "text", "text", "text", "text", "text", "timestamptz",
                "timestamptz", "text", "text")  # fmt: skip


def _insert_new(feed: Feed, rows: list[WireItem], now) -> int:
    """One INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING for a batch of new items:
    a guid another runner stored meanwhile is skipped. Returns how many this call stored."""
    table = WireItem._meta.db_table
    columns = ", ".join(INSERT_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for kind in INSERT_TYPES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (feed_id, received_at, {columns})"
            f" SELECT %s, %s, * FROM unnest({arrays})"
            " ON CONFLICT (feed_id, guid) DO NOTHING RETURNING id",
            [feed.pk, now, *([getattr(row, name) for row in rows] for name in INSERT_COLUMNS)],
        )
        return len(cursor.fetchall())


def _row(feed: Feed, item: ParsedItem, now) -> WireItem:
    body = sanitize_html(item.body) if item.body else ""
    return WireItem(
        feed=feed,
        guid=item.guid,
        version=item.version,
        content_hash=item.content_hash,
        headline=item.headline,
        body=body,
        lang=item.lang[:20],
        link=item.link[:1000],
        published_at=item.published_at,
        updated_at=item.updated_at,
        status=WireItem.Status.WITHDRAWN if item.withdrawn else WireItem.Status.USABLE,
        received_at=now,
        search_text=search_text(item.headline, body),
    )


@transaction.atomic
def ingest(*, feed: Feed, items: list[ParsedItem]) -> Counter:
    """Store the feed's items: new guids inserted once whoever else inserts them at the same
    time (the unique pair feed + guid, ON CONFLICT DO NOTHING); a newer version or changed
    text rewrites the queue entry and flags the draft taken from it."""
    latest: dict[str, ParsedItem] = {}
    for item in items:
        kept = latest.get(item.guid)
        if kept is None or item.version >= kept.version:
            latest[item.guid] = item
    counts = Counter()
    now = timezone.now()
    guids = list(latest)
    for start in range(0, len(guids), BATCH):
        batch = guids[start : start + BATCH]
        stored = {
            row.guid: row
            for row in WireItem.objects.select_for_update().filter(feed=feed, guid__in=batch)
        }
        fresh = [_row(feed, latest[guid], now) for guid in batch if guid not in stored]
        if fresh:
            counts["new"] += _insert_new(feed, fresh, now)
        for guid, row in stored.items():
            item = latest[guid]
            if item.version < row.version or (
                item.version == row.version and item.content_hash == row.content_hash
            ):
                continue
            _apply_update(row, _row(feed, item, now), now)
            counts["withdrawn" if row.status == WireItem.Status.WITHDRAWN else "updated"] += 1
    return counts


def _apply_update(row: WireItem, new: WireItem, now) -> None:
    fields = (
        "version", "content_hash", "headline", "body", "lang", "link", "published_at",
        "updated_at", "status", "search_text",
    )  # fmt: skip
    for name in fields:
        setattr(row, name, getattr(new, name))
    row.changed_at = now
    row.save(update_fields=[*fields, "changed_at"])
    taken = TakenWire.objects.filter(item=row)
    if row.status == WireItem.Status.WITHDRAWN:
        taken.update(
            flag=TakenWire.Flag.WITHDRAWN, flagged_at=now, cleared_by=None, cleared_at=None
        )
    else:
        taken.exclude(flag=TakenWire.Flag.WITHDRAWN).update(
            flag=TakenWire.Flag.UPDATED, flagged_at=now, cleared_by=None, cleared_at=None
        )


def poll_feed(feed_id: int, *, force: bool = False) -> Counter | None:
    """Fetch one feed if it is due and no other runner is at it (its row locked, not waited
    for); store its items and its health. Returns the counts, or None when skipped."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        feed = Feed.objects.select_for_update(skip_locked=True).filter(pk=feed_id).first()
        if feed is None or not (force or feed.is_due()):
            return None
        now = timezone.now()
        feed.last_polled_at = now
        counts = Counter()
        try:
            fetched = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if fetched.not_modified:
                counts["not_modified"] = 1
            else:
                items = parse(feed.format, fetched.body)
                with transaction.atomic():
                    counts = ingest(feed=feed, items=items)
                feed.last_left_out = getattr(items, "untitled", 0)
                counts["left_out"] += feed.last_left_out
                feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
            feed.last_success_at = timezone.now()
        except FeedError as error:
            feed.last_error, feed.last_error_at = str(error)[:500], timezone.now()
            counts["error"] = 1
            logger.warning("wire feed %s: %s", feed.pk, error)
        except Exception:  # a bug or the database: recorded on the feed, the next poll retries
            logger.exception("wire feed %s failed", feed.pk)
            feed.last_error = _("An unexpected error while reading the feed (see the log).")
            feed.last_error_at = timezone.now()
            counts["error"] = 1
        feed.save(
            update_fields=[
                "etag", "last_modified", "last_polled_at", "last_success_at", "last_error",
                "last_error_at", "last_left_out",
            ]
        )  # fmt: skip
        return counts


def poll_due_feeds(*, force: bool = False) -> Counter:
    """Every active feed that is due (or all, ``force``): each in its own transaction, so a
    slow or dead feed costs its timeout and nothing else."""
    total = Counter()
    for feed_id in Feed.objects.filter(is_active=True).values_list("pk", flat=True):
        counts = poll_feed(feed_id, force=force)
        if counts is not None:
            total.update(counts)
            total["feeds"] += 1
    return total


@transaction.atomic
def take_wire(*, item_id: int, user) -> tuple[Article, bool]:
    """«خذ الخبر»: a draft with the agency's text, its name as the source line and in the
    byline, and a desk note linking the original. Returns (draft, made now); an item already
    taken gives its draft."""
    item = (
        WireItem.objects.select_for_update(of=("self",))
        .select_related("feed__agency", "feed__section")
        .get(pk=item_id)
    )
    existing = TakenWire.objects.filter(item=item).select_related("article").first()
    if existing is not None:
        return existing.article, False
    if item.status == WireItem.Status.WITHDRAWN:
        raise ValidationError(_("The agency withdrew this item: it cannot be taken."))
    agency = item.feed.agency
    article = Article(
        title_ar=item.headline[:250],
        body_ar=item.body,
        section=item.feed.section,
        source=agency.name[:150],
        status=Article.Status.DRAFT,
    )
    save_article(article=article, user=user, change=False)
    Byline.objects.create(article=article, author=agency, position=0)
    original = item.link or item.guid
    Note.objects.create(
        article=article,
        author=user,
        text=_("Taken from the wire of %(agency)s. The original: %(link)s")
        % {"agency": agency.name, "link": original},
    )
    TakenWire.objects.create(item=item, article=article, taken_by=user)
    return article, True


@transaction.atomic
def clear_flags(*, taken, user) -> int:
    """An editor has read the agency's update or withdrawal: the draft may go on."""
    return taken.exclude(flag="").update(flag="", cleared_by=user, cleared_at=timezone.now())


@transaction.atomic
def approve_pitch(*, pitch_id: int, user) -> Article:
    """A pitch approved: a draft in its section and an assignment to its writer, due when
    the pitch expects it; the pitch keeps the link to its draft."""
    pitch = Pitch.objects.select_for_update().get(pk=pitch_id)
    if pitch.article_id:
        return pitch.article
    if pitch.status == Pitch.Status.REJECTED:
        raise ValidationError(_("A rejected pitch cannot be approved."))
    article = Article(title_ar=pitch.headline, section=pitch.section, status=Article.Status.DRAFT)
    save_article(article=article, user=user, change=False)
    Assignment.objects.create(
        article=article, writer=pitch.writer, editor=user, due_at=pitch.expected_at
    )
    if pitch.notes:
        Note.objects.create(article=article, author=user, text=pitch.notes)
    pitch.article, pitch.status = article, Pitch.Status.APPROVED
    pitch.save(update_fields=["article", "status"])
    return article


def purge_wires(*, now=None, dry_run: bool = False) -> int:
    """Delete wire items received more than NEWSROOM_WIRES_KEEP_DAYS ago, except those taken."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.NEWSROOM_WIRES_KEEP_DAYS)
    old = WireItem.objects.filter(received_at__lt=cutoff, taken__isnull=True)
    if dry_run:
        return old.count()
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(old.values_list("pk", flat=True)[:BATCH])
            if not ids:
                return deleted
            deleted += WireItem.objects.filter(pk__in=ids).delete()[0]
