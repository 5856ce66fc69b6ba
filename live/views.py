"""The reader's side of live coverage: the updates endpoint the article page polls, and the
Atom feed of entries. Both are page-cached and refreshed by the ``live:<article id>`` tag."""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.dates import local_digits
from articles.models import Article
from live.cache import live_tag
from live.models import LiveCoverage
from newsroom.links import absolute
from newsroom.pagecache import cached_page

MAX_BATCH = 50  # entries sent at once; with more waiting, the page offers a reload
AFTER_ID = re.compile(r"^[0-9]{1,18}$")  # ASCII digits only (str.isdigit accepts «٣»)
FEED_ENTRIES = 50


def published_coverage(article_id: int) -> LiveCoverage | None:
    return (
        LiveCoverage.objects.select_related("article")
        .filter(article_id=article_id, article__in=Article.objects.published())
        .first()
    )


def new_updates_label(count: int) -> str:
    return ngettext("%(count)s new update", "%(count)s new updates", count) % {
        "count": local_digits(count)
    }


def _tags(request, article_id, **kwargs):
    """The entries, and the article itself (unpublished: no answer; its title in the feed)."""
    return {live_tag(article_id), f"article:{article_id}"}


def _expires_at() -> float:
    return time.time() + settings.NEWSROOM_LIVE_CACHE_SECONDS


@cached_page(_tags, _expires_at, params=("after",))
def updates(request, article_id):
    """``GET /<lang>/live/<article id>/updates/?after=<entry id>``: the entries posted after
    that one, newest first, rendered as on the page, with the «N new updates» label.

    Every reader of a coverage asks the same few questions, so the answers are kept in the
    page cache until the next entry (or for ``NEWSROOM_LIVE_CACHE_SECONDS``): a thousand
    readers polling every two seconds cost a render per new entry, not one per poll.
    """
    after = request.GET.get("after", "0")
    if not AFTER_ID.match(after):
        return JsonResponse({"error": _("Malformed entry id.")}, status=400)
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
            "label": new_updates_label(count) if count else "",
            "more": more,
            "ended": not coverage.is_live,
            "ended_label": _("Live coverage has ended") if not coverage.is_live else "",
        },
        json_dumps_params={"ensure_ascii": False},
    )


class EntriesFeed(Feed):
    """``/<lang>/live/<article id>/feed/``: the coverage's latest entries (Atom)."""

    feed_type = Atom1Feed

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
        prefix = _("Breaking") + ": " if item.is_breaking else ""
        return prefix + Truncator(item.text).words(12)

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


@cached_page(_tags)
def entries_feed(request, article_id):
    """A feed object per request: it keeps the request and the coverage on itself."""
    return EntriesFeed()(request, article_id=article_id)
