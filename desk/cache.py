"""The breaking-news ticker («عاجل») in every page's header, and when it is refreshed.

Every public page carries the ``breaking()`` tag (caching/tags.py ``every_page()``). It is
bumped when an article that is, or was, flagged breaking is saved or deleted (flag set or
cleared, title edited, published, unpublished), so the ticker changes on every page at once. An
item also leaves the ticker NEWSROOM_BREAKING_HOURS after its publication, and a scheduled
breaking article enters it when its time comes: the ticker remembers that moment
(``DEADLINE_KEY``) and the first render after it bumps the tag (pages already cached then
expire by NEWSROOM_PAGE_CACHE_SECONDS at the latest).
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from articles.cache import previous_listing
from articles.compiled import STAND_IN_MOMENT, compiled
from articles.models import LIVE_STATUSES
from caching import tags as tag
from caching.pagecache import bump, bump_now, page_cache

DEADLINE_KEY = "desk:breaking-deadline"


def ticker_articles():
    """The breaking articles readers see now, newest first, and when that list next changes
    by itself (a Unix time): the oldest leaves the window, or a scheduled one goes live.
    Its SQL is compiled once per thread (articles/compiled.py)."""
    from articles.models import Article

    def build(since):
        flagged = Article.objects.filter(
            is_breaking=True, status__in=LIVE_STATUSES, published_at__gt=since
        ).only("pk", "slug", "title", "title_ar", "title_en", "published_at")
        return flagged.order_by("-published_at", "-id")[:20]

    now = timezone.now()
    since = now - timedelta(hours=settings.NEWSROOM_BREAKING_HOURS)
    query = compiled("breaking-ticker", None, Article, build, since=STAND_IN_MOMENT)
    flagged = query.instances(since=since)
    live = [article for article in flagged if article.published_at <= now]
    hours = timedelta(hours=settings.NEWSROOM_BREAKING_HOURS)
    moments = [(article.published_at + hours).timestamp() for article in live]
    moments += [
        article.published_at.timestamp() for article in flagged if article.published_at > now
    ]
    return live, min(moments, default=float("inf"))


def expire_if_due() -> None:
    """Bump the ticker's tag once its remembered deadline has passed (a cache read)."""
    deadline = page_cache().get(DEADLINE_KEY)
    if deadline is not None and deadline <= time.time():
        page_cache().delete(DEADLINE_KEY)
        bump_now(tag.breaking())


def remember_deadline(moment: float) -> None:
    if moment == float("inf"):
        page_cache().delete(DEADLINE_KEY)
    else:
        page_cache().set(DEADLINE_KEY, moment, timeout=None)


def article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    previous = previous_listing(instance)
    if instance.is_breaking or (previous and previous.get("is_breaking")):
        bump(tag.breaking())


def article_deleted(sender, instance, **kwargs):
    if instance.is_breaking:
        bump(tag.breaking())


def connect_receivers():
    from articles.models import Article

    post_save.connect(article_saved, sender=Article, dispatch_uid="desk.cache.article")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="desk.cache.article_del")
