"""Receivers: an article's standalone provider links are resolved once it is saved, and
pages showing an embed are refreshed when the embed changes.

Tags: ``embed:<id>`` is carried by every page (or fragment) that shows the embed's facade
(noted by the ``with_embeds`` filter), ``gallery:<id>`` by those that show a gallery (a
gallery becoming or ceasing to be an article's lead bumps ``article:<id>``); an article
whose links became new embeds gets its ``article:<id>`` bumped, since its page was rendered
before those embeds existed.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_save

from caching import tags as tag
from caching.pagecache import bump
from newsroom.logging import current_request

logger = logging.getLogger(__name__)

# Saves outside a request (imports, commands, a shell) leave links as they are: an import of
# thousands of posts must not wait on providers. `manage.py resolve_embeds` does them later.
_outside_requests = ContextVar("embeds_resolve_outside_requests", default=False)


@contextmanager
def resolving_links():
    """Resolve new links on article saves made outside a request too (commands, tests)."""
    token = _outside_requests.set(True)
    try:
        yield
    finally:
        _outside_requests.reset(token)


def embed_tag(pk) -> str:
    return tag.embed(pk)


def gallery_tag(pk) -> str:
    return tag.gallery(pk)


def _remember_lead(sender, instance, raw=False, **kwargs):
    instance._previous_lead_of = None
    if not raw and instance.pk is not None:
        instance._previous_lead_of = (
            sender.objects.filter(pk=instance.pk).values_list("lead_of_id", flat=True).first()
        )


LEAD_ARTICLES_KEY = "embeds:lead-gallery-articles"


def lead_gallery_articles() -> frozenset:
    """The ids of the articles that have a lead gallery (kept in the cache, so an article page
    without one asks the database nothing); forgotten whenever a gallery changes."""
    from django.core.cache import cache

    from embeds.models import Gallery

    ids = cache.get(LEAD_ARTICLES_KEY)
    if ids is None:
        ids = frozenset(Gallery.objects.exclude(lead_of=None).values_list("lead_of_id", flat=True))
        cache.set(LEAD_ARTICLES_KEY, ids, None)
    return ids


def _forget_lead_articles():
    from django.core.cache import cache

    cache.delete(LEAD_ARTICLES_KEY)


def gallery_changed(sender, instance, raw=False, **kwargs):
    """A gallery's title or lead article changed, or it was deleted."""
    if raw:
        return
    _forget_lead_articles()
    transaction.on_commit(_forget_lead_articles)  # and after: no stale set read meanwhile
    tags = {gallery_tag(instance.pk)}
    for article_id in (instance.lead_of_id, getattr(instance, "_previous_lead_of", None)):
        if article_id:
            tags.add(tag.article(article_id))
    bump(*tags)


def gallery_item_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(gallery_tag(instance.gallery_id))


def article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    bodies = [getattr(instance, f, None) for f in ("body_ar", "body_en")] or [instance.body]
    body = "\n".join(filter(None, bodies)) or instance.body or ""
    if "http" not in body:
        return
    if current_request.get() is None and not _outside_requests.get():
        return

    def resolve():
        from embeds.models import Embed
        from embeds.services import embed_links, resolve

        links = embed_links(body)
        known = set(
            Embed.objects.filter(url__in=links)
            .exclude(reason=Embed.Reason.PENDING)
            .values_list("url", flat=True)
        )
        new = []
        for link in links:
            if link in known:
                continue
            try:
                new.append(resolve(link))
            except Exception:  # a provider's surprise never fails the editor's save
                logger.exception("embeds: could not resolve %s (article %s)", link, instance.pk)
        if new:
            bump(tag.article(instance.pk))
            tell_the_desk([embed for embed in new if embed.status == Embed.Status.CARD])

    transaction.on_commit(resolve)


def tell_the_desk(cards) -> None:
    """The editor whose save made them learns, in Arabic, why these links became cards."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    request = current_request.get()
    if request is None or not cards or not getattr(request, "_messages", None):
        return
    for embed in cards:
        messages.warning(
            request,
            _("%(url)s is shown as a link card: %(reason)s")
            % {"url": embed.url, "reason": embed.get_reason_display()},
        )


def embed_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(embed_tag(instance.pk))


def thumbnail_saved(sender, instance, raw=False, **kwargs):
    """A library image changed (its focal point): the facades and galleries showing it."""
    if not raw and instance.pk is not None:
        from embeds.models import GalleryItem

        galleries = GalleryItem.objects.filter(image=instance).values_list("gallery_id", flat=True)
        bump(
            *(embed_tag(pk) for pk in instance.embeds.values_list("pk", flat=True)),
            *(gallery_tag(pk) for pk in galleries),
        )


def connect_receivers():
    from django.db.models.signals import post_delete, pre_save

    from articles.models import Article, MediaImage
    from embeds.models import Embed, Gallery, GalleryItem

    post_save.connect(article_saved, sender=Article, dispatch_uid="embeds-article-saved")
    post_save.connect(embed_saved, sender=Embed, dispatch_uid="embeds-embed-saved")
    post_save.connect(thumbnail_saved, sender=MediaImage, dispatch_uid="embeds-thumbnail")
    pre_save.connect(_remember_lead, sender=Gallery, dispatch_uid="embeds-gallery-pre")
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(gallery_changed, sender=Gallery, dispatch_uid=f"embeds-gallery-{name}")
        signal.connect(gallery_item_changed, sender=GalleryItem, dispatch_uid=f"embeds-item-{name}")
