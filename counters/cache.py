"""The "most read" blocks in cached pages: their tags, and the receivers that refresh the
blocks (and the ranking) when a live article they list is published, edited, unpublished or
deleted. Otherwise the blocks follow the views every NEWSROOM_MOST_READ_SECONDS.

The tags ``most_read()`` and ``most_read(section id)`` (caching/tags.py) are carried by the
pages showing a block (home and article pages); the kept article fragments are not refreshed
(the blocks are rendered outside them).
"""

from django.db.models.signals import post_delete, post_save

from articles.cache import previous_listing
from articles.models import LIVE_STATUSES
from caching import tags as tag
from caching.pagecache import bump_now


def most_read_changed(article_id: int, section_ids, *, entering: bool = False) -> None:
    """A live article was published, edited, unpublished or deleted: the "most read" blocks
    that list it (site-wide, its sections') are refreshed, with the ranking recomputed, now
    and again once the change is committed. ``entering``: it may join the lists now (published
    with a legacy view count). Blocks that do not list it are left alone."""
    from django.core.cache import cache as default_cache
    from django.db import transaction

    from counters import most_read

    tags = set()
    for section_id in {None, *section_ids}:
        listed = most_read.listed_in_most_read(article_id, section_id)
        if entering or listed is None or listed:
            tags.add(tag.most_read(section_id))
    if not tags:
        return

    def forget():
        default_cache.delete(most_read.MOST_READ_CACHE_KEY)
        bump_now(*tags)

    forget()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(forget)


def article_saved(sender, instance, raw=False, **kwargs):
    """Reads what articles/cache.py remembered of the row before the save."""
    if raw:
        return
    previous = previous_listing(instance)
    is_live = instance.status in LIVE_STATUSES
    was_live = previous is not None and previous["status"] in LIVE_STATUSES
    if is_live or was_live:
        sections = {instance.section_id, *([previous["section_id"]] if previous else [])}
        entering = is_live and not was_live and bool(instance.view_count)
        most_read_changed(instance.pk, sections, entering=entering)


def article_deleted(sender, instance, **kwargs):
    most_read_changed(instance.pk, {instance.section_id})


def connect_receivers():
    from articles.models import Article

    uid = "counters.cache"
    post_save.connect(article_saved, sender=Article, dispatch_uid=f"{uid}.article")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid=f"{uid}.article_del")
