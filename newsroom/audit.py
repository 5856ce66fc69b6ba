"""The audit trail: every sign-in, sign-out, failed sign-in and admin change, as log lines.

The database keeps them too: the admin's ``LogEntry`` (every add, change and delete made in
the admin) and django-axes' access logs (sign-ins, sign-outs, failures and lockouts). These
receivers also write each event to the ``newsroom.audit`` logger, so they reach the log
pipeline with the request id that caused them.
"""

import logging

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import signals
from django.db.models.signals import post_save
from django.dispatch import receiver

from newsroom.client import client_ip

audit = logging.getLogger("newsroom.audit")


@receiver(signals.user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.info(
        "login",
        extra={"event": "login", "user_id": user.pk, "username": user.get_username(),
               "ip": client_ip(request) if request else None},
    )  # fmt: skip


@receiver(signals.user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    audit.info(
        "logout",
        extra={"event": "logout", "user_id": getattr(user, "pk", None),
               "ip": client_ip(request) if request else None},
    )  # fmt: skip


@receiver(signals.user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit.warning(
        "login failed",
        extra={"event": "login_failed", "username": credentials.get("username", ""),
               "ip": client_ip(request) if request else None},
    )  # fmt: skip


@receiver(post_save, sender=LogEntry)
def _admin_action(sender, instance, created, **kwargs):
    """One line per admin change. (Deleting several objects at once writes LogEntry rows in
    bulk, without this signal: those are in the database history only.)"""
    if created:
        _log_admin_action(instance)


def _log_admin_action(instance):
    action = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}.get(instance.action_flag)
    audit.info(
        "admin %s",
        action,
        extra={"event": "admin_action", "user_id": instance.user_id,
               "content_type": str(instance.content_type), "object_id": instance.object_id,
               "object_repr": instance.object_repr, "change": instance.get_change_message()},
    )  # fmt: skip
