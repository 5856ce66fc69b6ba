"""A page's own tag, and the footer's: bumped when a page is saved or deleted."""

from django.db.models.signals import post_delete, post_save

from caching.pagecache import bump

FOOTER_TAG = "footer-pages"


def page_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(f"page:{instance.pk}", FOOTER_TAG)


def connect_receivers():
    from pages.models import Page

    for signal in (post_save, post_delete):
        signal.connect(page_changed, sender=Page, dispatch_uid=f"pages.cache.{signal!r}")
