"""The reader's side of live coverage: the updates endpoint the article page polls (new
entries, and corrections and removals of the ones it shows), and the Atom feed of entries.
Both are page-cached and refreshed by the ``live(article id)`` tag (caching/tags.py)."""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from articles.dates import local_digits
from articles.models import Article
from articles.text import NeutralisedItems, bare_headline, written_in_arabic
from caching import tags as tag
from caching.pagecache import cached_page
from live.models import LiveCoverage
from newsroom.links import absolute

MAX_BATCH = 50  # entries sent at once; with more waiting, the page offers a reload
# An entry id or a revision: ASCII digits only (str.isdigit accepts «٣»).
AFTER_ID = re.compile(r"^[0-9]{1,18}$")
FEED_ENTRIES = 50


def published_coverage(article_id: int) -> LiveCoverage | None:
    return (
        LiveCoverage.objects.select_related("article")
        .filter(article_id=article_id, article__in=Article.objects.published())
        .first()
    )


def new_updates_label(count: int, *, more: bool = False) -> str:
    """«تحديث جديد», «3 تحديثات جديدة»…; past one batch, «أكثر من 50 تحديثًا جديدًا» (it said
    50 with 121 waiting)."""
    if more:
        return _("More than %(count)s new updates") % {"count": local_digits(count)}
    return ngettext("%(count)s new update", "%(count)s new updates", count) % {
        "count": local_digits(count)
    }


def _tags(request, article_id, **kwargs):
    """The entries, and the article itself (unpublished: no answer; its title in the feed)."""
    return {tag.live(article_id), tag.article(article_id)}


def _expires_at() -> float:
    return time.time() + settings.NEWSROOM_LIVE_CACHE_SECONDS


def changed_entries(coverage: LiveCoverage, after: int, rev: int) -> tuple[list[dict], int]:
    """The entries up to ``after`` changed since revision ``rev`` (edited, removed, restored,
    pinned or unpinned), as ``{id, html}`` or ``{id, removed: true}``, and the revision the
    reader knows once it has applied them.

    At most ``MAX_BATCH`` at a time, cut between two revisions (a reader far behind catches up
    in a few polls); none asked for, no query, when nothing changed since ``rev``.
    """
    if rev >= coverage.revision:  # (a revision from the future: start again from now)
        return [], coverage.revision
    found = list(
        coverage.entries.filter(pk__lte=after, revision__gt=rev)
        .select_related("author")
        .order_by("revision", "id")[: MAX_BATCH + 1]
    )
    known = coverage.revision
    if len(found) > MAX_BATCH:
        # The rest next time, whole revisions only (a revision changes one or two entries:
        # the entry, and the one whose pin it took).
        known = found[MAX_BATCH].revision - 1
        found = [entry for entry in found if entry.revision <= known]
    changed = [
        {"id": entry.pk, "removed": True}
        if entry.is_removed
        else {"id": entry.pk, "html": render_to_string("live/entry.html", {"entry": entry})}
        for entry in found
    ]
    return changed, known


@cached_page(_tags, _expires_at, params=("after", "rev"))
def updates(request, article_id):
    """``GET /<lang>/live/<article id>/updates/?after=<entry id>&rev=<revision>``: the entries
    posted after that one, newest first, rendered as on the page, with the «N new updates»
    label; and the entries the page already has that were edited, removed or restored since
    that revision of the coverage (``changed``), with the coverage's revision now (``rev``).

    Every reader of a coverage asks the same few questions, so the answers are kept in the
    page cache until the next entry or change (or for ``NEWSROOM_LIVE_CACHE_SECONDS``): a
    thousand readers polling every two seconds cost a render per change, not one per poll.
    """
    after = request.GET.get("after", "0")
    if not AFTER_ID.match(after):
        return JsonResponse({"error": _("Malformed entry id.")}, status=400)
    rev = request.GET.get("rev")
    if rev is not None and not AFTER_ID.match(rev):
        return JsonResponse({"error": _("Malformed revision.")}, status=400)
    # The coverage (and its revision) before the entries: what they show is at least as new.
    coverage = published_coverage(article_id)
    if coverage is None:
        return JsonResponse({"error": _("No live coverage here.")}, status=404)
    entries = list(
        coverage.entries.visible()
        .filter(pk__gt=int(after))
        .select_related("author")
        .order_by("-id")[: MAX_BATCH + 1]
    )
    more = len(entries) > MAX_BATCH
    entries = entries[:MAX_BATCH]
    count = len(entries)
    # Without ``rev`` (a page from before revisions): nothing to compare with, nothing sent.
    changed, known = changed_entries(
        coverage, int(after), coverage.revision if rev is None else int(rev)
    )
    return JsonResponse(
        {
            "entries": [
                {
                    "id": entry.pk,
                    "html": render_to_string("live/entry.html", {"entry": entry}),
                }
                for entry in entries
            ],
            "last_id": entries[0].pk if entries else int(after),
            "count": count,
            "label": new_updates_label(count, more=more) if count else "",
            "more": more,
            "changed": changed,
            "rev": known,
            "ended": not coverage.is_live,
            "ended_label": _("Live coverage has ended") if not coverage.is_live else "",
        },
        json_dumps_params={"ensure_ascii": False},
    )


class NeutralisedAtomFeed(NeutralisedItems, Atom1Feed):
    """An entry in another language than the feed's says so (``xml:lang``): entries have no
    English text, and the English feed is ``xml:lang="en"``."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("xml_lang"):
            attributes["xml:lang"] = item["xml_lang"]
        return attributes


class EntriesFeed(Feed):
    """``/<lang>/live/<article id>/feed/``: the coverage's latest entries (Atom)."""

    feed_type = NeutralisedAtomFeed

    def get_object(self, request, article_id):
        self.request = request
        self.coverage = published_coverage(article_id)
        if self.coverage is None:
            raise Http404("No live coverage here")
        return self.coverage

    def title(self, obj):
        return _("Live: %(title)s") % {"title": obj.article.title}

    def link(self, obj):
        return obj.article.get_absolute_url()

    def subtitle(self, obj):
        return obj.article.lead or settings.SITE_NAME

    def items(self, obj):
        return obj.entries.visible().select_related("author").order_by("-id")[:FEED_ENTRIES]

    def item_title(self, item):
        if item.is_breaking:  # never «عاجل: عاجل: …»
            return _("Breaking") + ": " + Truncator(bare_headline(item.text)).words(12)
        return Truncator(item.text).words(12)

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return f"{self.coverage.article.get_absolute_url()}#entry-{item.pk}"

    def item_guid(self, item):
        return absolute(self.request, self.item_link(item))

    def item_pubdate(self, item):
        return item.posted_at

    def item_updateddate(self, item):
        return item.edited_at or item.posted_at

    def item_author_name(self, item):
        return item.author.name if item.author else None

    def item_extra_kwargs(self, item):
        language = get_language() or settings.LANGUAGE_CODE
        arabic = language != "ar" and written_in_arabic(item.text)
        return {"xml_lang": "ar" if arabic else None}


@cached_page(_tags)
def entries_feed(request, article_id):
    """A feed object per request: it keeps the request and the coverage on itself."""
    return EntriesFeed()(request, article_id=article_id)
