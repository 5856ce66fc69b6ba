"""A page's own tag, and the footer's: bumped when a page is saved or deleted."""

from django.db.models.signals import post_delete, post_save

from caching import tags as tag
from caching.pagecache import bump


def page_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(tag.page(instance.pk), tag.footer_pages())


def connect_receivers():
    from pages.models import Page

    for signal in (post_save, post_delete):
        signal.connect(page_changed, sender=Page, dispatch_uid=f"pages.cache.{signal!r}")
