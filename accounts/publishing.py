"""The publish record: each publish, schedule, unpublish, embargo change and correction, with
who, when, from which session and whether that session passed the second factor.

Recorded from articles' own records as they are written (a ``StatusChange`` for every workflow
move, made by articles.services whatever the path; a new ``Correction``; an ``Article`` whose
embargo changed), in the same transaction. The session is the request being handled
(``newsroom.logging.current_request``); outside a request (a shell, a command) the record says
there was none.
"""

from __future__ import annotations

import logging

from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import DeskSession, PublishRecord
from accounts.sessions import address, current_id
from articles.models import LIVE_STATUSES
from newsroom.logging import current_request

audit = logging.getLogger("newsroom.audit")


def action_for_move(from_status: str, to_status: str) -> str | None:
    if to_status == "published":
        return PublishRecord.Action.PUBLISH
    if to_status == "scheduled":
        return PublishRecord.Action.SCHEDULE
    if to_status == "unpublished" or from_status in LIVE_STATUSES:
        return PublishRecord.Action.UNPUBLISH
    return None  # draft <-> review: not a publishing act


def record(*, article, action: str, user=None, detail: str = "") -> PublishRecord:
    request = current_request.get()
    session_id = None
    verified_with = ""
    ip = None
    agent = ""
    if request is not None:
        request_user = getattr(request, "user", None)
        if user is None and request_user is not None and request_user.is_authenticated:
            user = request_user
        if request_user is not None and getattr(request_user, "pk", None) == getattr(
            user, "pk", None
        ):
            session_id = current_id(request)
            device = getattr(request_user, "otp_device", None)
            if device is not None:
                verified_with = (
                    DeskSession.Verification.RECOVERY
                    if device._meta.model_name == "staticdevice"
                    else DeskSession.Verification.APP
                )
        ip = address(request)
        agent = request.headers.get("User-Agent", "")[:400]
    entry = PublishRecord.objects.create(
        article=article,
        article_title=str(article.title)[:250],
        action=action,
        detail=detail[:300],
        user=user,
        username=user.get_username() if user is not None else "",
        at=timezone.now(),
        session_id=session_id,
        ip_address=ip,
        user_agent=agent,
        verified=bool(verified_with),
        verified_with=verified_with,
    )
    audit.info(
        "publish record",
        extra={"event": "publish_record", "action": action, "article_id": article.pk,
               "user_id": getattr(user, "pk", None), "desk_session": session_id,
               "verified": bool(verified_with)},
    )  # fmt: skip
    return entry


def _status_changed(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    action = action_for_move(instance.from_status, instance.to_status)
    if action is None:
        return
    detail = "{} → {}".format(
        instance.get_from_status_display() or "—", instance.get_to_status_display()
    )
    record(article=instance.article, action=action, user=instance.changed_by, detail=detail)


def _correction_added(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    record(
        article=instance.article,
        action=PublishRecord.Action.CORRECTION,
        user=instance.created_by,
        detail=f"{instance.get_kind_display()}: {instance.text}"[:300],
    )


def _remember_embargo(sender, instance, raw=False, **kwargs):
    """Before an article is saved in a request: its embargo as stored (one primary-key read;
    saves outside a request, such as an archive import, skip it)."""
    if raw or current_request.get() is None:
        return
    if instance.pk is None:
        instance._stored_embargo = None
        return
    instance._stored_embargo = (
        sender.objects.filter(pk=instance.pk).values_list("embargo_until", flat=True).first()
    )


def _embargo_changed(sender, instance, created, raw=False, **kwargs):
    if raw or not hasattr(instance, "_stored_embargo"):
        return
    before, after = instance._stored_embargo, instance.embargo_until
    del instance._stored_embargo
    if before == after:
        return
    record(
        article=instance,
        action=PublishRecord.Action.EMBARGO,
        detail=f"{_moment(before)} → {_moment(after)}",
    )


def _moment(value) -> str:
    if value is None:
        return gettext("none")
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def connect():
    from articles.models import Article, Correction, StatusChange

    post_save.connect(_status_changed, sender=StatusChange, dispatch_uid="publish_record_move")
    post_save.connect(_correction_added, sender=Correction, dispatch_uid="publish_record_fix")
    pre_save.connect(_remember_embargo, sender=Article, dispatch_uid="publish_record_embargo0")
    post_save.connect(_embargo_changed, sender=Article, dispatch_uid="publish_record_embargo")
