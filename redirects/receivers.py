"""Slug history kept by the objects' own saves: a slug given up is remembered, a slug taken
back or taken over is live again (and the desk is told whose old address it was)."""

from django.contrib import messages
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext as _

from redirects import services
from redirects.kinds import MODELS, model_of


def remember_slug(sender, instance, raw=False, **kwargs):
    instance._slug_before = None
    if raw or instance.pk is None:
        return
    instance._slug_before = (
        sender._base_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
    )


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


def forget_object(sender, instance, kind=None, **kwargs):
    services.object_deleted(kind=kind, object_id=instance.pk, slug=instance.slug)


def connect():
    for kind in MODELS:
        model = model_of(kind)
        uid = f"redirects.{kind}"

        def saved(sender, kind=kind, **kwargs):
            record_slug(sender, kind=kind, **kwargs)

        def deleted(sender, kind=kind, **kwargs):
            forget_object(sender, kind=kind, **kwargs)

        pre_save.connect(remember_slug, sender=model, dispatch_uid=f"{uid}.pre")
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}.post", weak=False)
        post_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}.delete", weak=False)
