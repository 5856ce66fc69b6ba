"""Live coverage operations: start and end a coverage; post, edit, remove and restore entries.

Each one is atomic and invalidates exactly the cached pages that show it (live/cache.py),
again after the commit, so readers polling the updates endpoint see a new entry on their next
poll.

A change to an entry readers may already have on screen (an edit, a removal, a restore, a pin
taken from another entry) raises the coverage's revision and stamps the changed entries with
it: open pages ask for the entries changed since the revision they know, and apply them.
"""

from __future__ import annotations

import html
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from articles.html import sanitize_html, validate_rich_text_links
from articles.models import Article
from live import cache
from live.models import LiveCoverage, LiveEntry
from uploads.images import make_renditions

# Invisible characters that make a text look non-empty (bidi marks, zero-width spaces).
INVISIBLE_CHARACTERS = (
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space, joiners, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi embeddings, isolates
    "\ufeff\xa0"  # byte-order mark, no-break space
)
LOOKS_LIKE_MARKUP = re.compile(r"<[a-zA-Z!/]")
INVISIBLE = dict.fromkeys(map(ord, INVISIBLE_CHARACTERS), " ")


def _readable(markup: str) -> str:
    """The text a reader would see of ``markup``: no tags, entities read, no invisible marks."""
    return " ".join(html.unescape(strip_tags(markup)).translate(INVISIBLE).split())


def clean_entry_body(raw: str) -> str:
    """The entry's HTML as stored: plain text becomes paragraphs, HTML is sanitised.

    Raises a ValidationError (Arabic on Arabic pages) when nothing readable is left or when
    the text is longer than ``NEWSROOM_LIVE_ENTRY_MAX_CHARS``.
    """
    limit = settings.NEWSROOM_LIVE_ENTRY_MAX_CHARS
    raw = (raw or "").replace("\r\n", "\n").strip()
    if len(raw) > limit * 4:  # markup included; refuse before any parsing work
        raise _too_long(len(raw), limit)
    if LOOKS_LIKE_MARKUP.search(raw):
        validate_rich_text_links(raw)  # a javascript: link refused, as in an article's body
        body = sanitize_html(raw)
    else:
        paragraphs = [" ".join(part.split()) for part in raw.split("\n")]
        body = "".join(f"<p>{html.escape(part)}</p>" for part in paragraphs if part)
    text = _readable(body)
    if not text and _readable(raw):
        # The sanitiser took away everything there was to read («<script>…</script>» alone,
        # whatever it drops with its content): told why, not as if nothing was typed.
        raise ValidationError(
            _(
                "Nothing readable is left once the code that is not allowed (scripts, "
                "styles, frames) is removed: write the entry's text."
            ),
            code="only_code",
        )
    if not text:
        raise ValidationError(_("Write the entry's text."), code="empty")
    if len(text) > limit:
        raise _too_long(len(text), limit)
    return body


def _too_long(length: int, limit: int) -> ValidationError:
    return ValidationError(
        _("The entry is too long (%(length)s characters). The limit is %(limit)s.")
        % {"length": length, "limit": limit},
        code="too_long",
    )


@transaction.atomic
def start_coverage(*, article: Article, user=None) -> LiveCoverage:
    """Mark ``article`` live (again, if its coverage had ended)."""
    coverage, created = LiveCoverage.objects.select_for_update().get_or_create(
        article=article, defaults={"started_by": user}
    )
    if not created and not coverage.is_live:
        coverage.state, coverage.ended_at = LiveCoverage.State.LIVE, None
        coverage.save(update_fields=["state", "ended_at"])
    cache.coverage_changed(article.pk)
    return coverage


@transaction.atomic
def end_coverage(*, coverage: LiveCoverage) -> LiveCoverage:
    coverage = LiveCoverage.objects.select_for_update().get(pk=coverage.pk)
    if coverage.is_live:
        coverage.state, coverage.ended_at = LiveCoverage.State.ENDED, timezone.now()
        coverage.save(update_fields=["state", "ended_at"])
        cache.coverage_changed(coverage.article_id)
    return coverage


def _next_revision(coverage_id: int) -> int:
    """Raise the coverage's revision and return it.

    The UPDATE keeps the coverage row locked until the commit, so a second change waits for the
    first to commit before it takes the next number: revisions are committed in order, and a
    reader who has seen revision N has seen every change numbered N or less.
    """
    LiveCoverage.objects.filter(pk=coverage_id).update(revision=F("revision") + 1)
    return LiveCoverage.objects.values_list("revision", flat=True).get(pk=coverage_id)


def _unpin_others(coverage: LiveCoverage, keep: LiveEntry | None = None) -> None:
    # The coverage row is locked by the caller: two editors pinning at once take turns.
    others = coverage.entries.filter(is_pinned=True)
    if keep is not None and keep.pk:
        others = others.exclude(pk=keep.pk)
    if others.exists():  # open pages move it down among the others
        others.update(is_pinned=False, revision=_next_revision(coverage.pk))


@transaction.atomic
def post_entry(
    *,
    coverage: LiveCoverage,
    body: str,
    user=None,
    author=None,
    image=None,
    image_alt: str = "",
    image_credit: str = "",
    is_breaking: bool = False,
    is_pinned: bool = False,
) -> LiveEntry:
    """Post an entry to a live coverage. ``image`` must have passed the upload validation
    (the desk's form runs ``validate_image_file``); it is re-encoded when saved."""
    body = clean_entry_body(body)
    # Entries of one coverage are inserted one at a time, each committed before the next gets
    # its id: ids then follow commit order, so a reader asking for "entries after id N" never
    # misses one committed late with a smaller id (and pins and the end do not cross).
    coverage = LiveCoverage.objects.select_for_update().get(pk=coverage.pk)
    if not coverage.is_live:
        raise ValidationError(
            _("This coverage has ended: entries can no longer be posted."), code="ended"
        )
    if is_pinned:
        _unpin_others(coverage)
    entry = LiveEntry(
        coverage=coverage,
        body=body,
        author=author,
        image=image or "",
        image_alt=image_alt,
        image_credit=image_credit,
        is_breaking=is_breaking,
        is_pinned=is_pinned,
        posted_by=user,
    )
    entry.save()
    if entry.image:
        entry.image_renditions = make_renditions(entry.image)
        entry.save(update_fields=["image_renditions"])
    cache.entries_changed(coverage.article_id)
    return entry


@transaction.atomic
def save_edited_entry(*, entry: LiveEntry, image_changed: bool = False) -> LiveEntry:
    """Save an entry changed in the desk: its text sanitised, «عُدّل» with the time."""
    entry.body = clean_entry_body(entry.body)
    # The coverage row first (then the entries), as every change does: no deadlock.
    coverage = LiveCoverage.objects.select_for_update().get(pk=entry.coverage_id)
    if entry.is_pinned:
        _unpin_others(coverage, keep=entry)
    if entry.pk:
        entry.edited_at = timezone.now()
        entry.revision = _next_revision(coverage.pk)
    entry.save()
    if entry.image and (image_changed or not entry.image_renditions):
        entry.image_renditions = make_renditions(entry.image)
        entry.save(update_fields=["image_renditions"])
    elif not entry.image and entry.image_renditions:
        entry.image_renditions = []
        entry.save(update_fields=["image_renditions"])
    cache.entries_changed(coverage.article_id)
    return entry


@transaction.atomic
def remove_entry(*, entry: LiveEntry) -> LiveEntry:
    """Hide an entry from readers; the desk and the history keep it."""
    if entry.removed_at is None:
        entry.removed_at = timezone.now()
        entry.is_pinned = False
        entry.revision = _next_revision(entry.coverage_id)
        entry.save(update_fields=["removed_at", "is_pinned", "revision"])
        cache.entries_changed(entry.coverage.article_id)
    return entry


@transaction.atomic
def restore_entry(*, entry: LiveEntry) -> LiveEntry:
    if entry.removed_at is not None:
        entry.removed_at = None
        entry.revision = _next_revision(entry.coverage_id)
        entry.save(update_fields=["removed_at", "revision"])
        cache.entries_changed(entry.coverage.article_id)
    return entry
