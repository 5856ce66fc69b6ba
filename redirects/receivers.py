"""Slug history kept by the objects' own saves: a slug given up is remembered, a slug taken
back or taken over is live again (and the desk is told whose old address it was); an object
that stops being public answers 410 until it is public again (and the desk is told so)."""

from urllib.parse import unquote, urlencode

from django.contrib import messages
from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from redirects import services
from redirects.kinds import MODELS, PUBLIC_FIELDS, is_public, model_of


def remember_slug(sender, instance, raw=False, kind=None, **kwargs):
    """Before the save: the slug it had, and whether readers saw it (one query)."""
    instance._slug_before = None
    instance._public_before = None
    if raw or instance.pk is None:
        return
    fields = PUBLIC_FIELDS.get(kind, ())
    before = sender._base_manager.filter(pk=instance.pk).only("slug", *fields).first()
    if before is not None:
        instance._slug_before = before.slug
        instance._public_before = is_public(kind, before) if fields else None


def record_slug(sender, instance, raw=False, kind=None, **kwargs):
    if raw or not instance.slug:
        return
    before = getattr(instance, "_slug_before", None)
    if before == instance.slug:
        return
    taken = services.slug_changed(
        kind=kind, object_id=instance.pk, old=before or "", new=instance.slug
    )
    if taken is not None:
        tell_desk(sender, instance, taken)


def tell_desk(model, instance, previous_owner_id):
    """Say on the desk's next page that the address now leads here, not to its old owner."""
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    if request is None or not hasattr(request, "_messages"):
        return
    previous = model._base_manager.filter(pk=previous_owner_id).first()
    if previous is None:  # deleted: its address answered 410, now this page
        return
    messages.warning(
        request,
        _(
            "The address “%(slug)s” used to lead to “%(previous)s” (its old slug); it now leads "
            "to “%(current)s”."
        )
        % {"slug": instance.slug, "previous": previous or previous_owner_id, "current": instance},
    )


def was_gone(instance, kind) -> bool:
    """Whether an object still not public gave up a slug that answered 410 (asked before
    record_slug turns that row into a redirect to the new slug, which must answer 410 too)."""
    before = getattr(instance, "_slug_before", None)
    if kind not in PUBLIC_FIELDS or not before or before == instance.slug:
        return False
    if getattr(instance, "_public_before", None) or is_public(kind, instance):
        return False
    return services.is_gone(kind=kind, object_id=instance.pk, slug=before)


def record_visibility(sender, instance, raw=False, kind=None, gone_before=False, **kwargs):
    if raw or kind not in PUBLIC_FIELDS or not instance.slug:
        return
    unpublished = services.visibility_changed(
        kind=kind,
        object_id=instance.pk,
        slug=instance.slug,
        was_public=getattr(instance, "_public_before", None),
        public=is_public(kind, instance),
        was_gone=gone_before,
    )
    if unpublished:
        tell_desk_gone(instance)


def tell_desk_gone(instance):
    """Say on the desk's next page that the address now answers 410, with a link to the
    redirect manager (the old address filled in) to send its readers elsewhere."""
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    if request is None or not hasattr(request, "_messages"):
        return
    path = instance.get_absolute_url()
    link = reverse("admin:redirects_redirect_add") + "?" + urlencode({"old_path": path})
    messages.warning(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("“%(title)s” is no longer public: its address %(path)s now answers «410 — أزيل».")
            % {"title": instance, "path": unquote(path)},  # as an editor reads it: «/ar/news/سوق/»
            link,
            _("Send its readers elsewhere with a redirect"),
        ),
    )


def forget_object(sender, instance, kind=None, **kwargs):
    services.object_deleted(kind=kind, object_id=instance.pk, slug=instance.slug)


def connect():
    for kind in MODELS:
        model = model_of(kind)
        uid = f"redirects.{kind}"

        def remember(sender, kind=kind, **kwargs):
            remember_slug(sender, kind=kind, **kwargs)

        def saved(sender, kind=kind, **kwargs):
            gone_before = not kwargs.get("raw") and was_gone(kwargs["instance"], kind)
            record_slug(sender, kind=kind, **kwargs)
            record_visibility(sender, kind=kind, gone_before=gone_before, **kwargs)

        def deleted(sender, kind=kind, **kwargs):
            forget_object(sender, kind=kind, **kwargs)

        pre_save.connect(remember, sender=model, dispatch_uid=f"{uid}.pre", weak=False)
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}.post", weak=False)
        post_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}.delete", weak=False)
