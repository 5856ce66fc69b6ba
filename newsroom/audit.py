"""The audit trail: every sign-in, sign-out, failed sign-in and admin change, as log lines.

The database keeps them too: the admin's ``LogEntry`` (every add, change and delete made in
the admin) and django-axes' access logs (sign-ins, sign-outs, failures and lockouts). These
receivers also write each event to the ``newsroom.audit`` logger, so they reach the log
pipeline with the request id that caused them.
"""

import functools
import json
import logging

from django.apps import apps
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import signals
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, override

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
               "object_repr": instance.object_repr, "change": change_message(instance)},
    )  # fmt: skip


def change_message(entry: LogEntry) -> str:
    """``entry``'s change in the desk's language, fields and rows by their names there.

    Django stores the labels of the fields changed in English («Is public», «Title [ar]») and
    looks each up in the catalogue when showing them; a label is ``capfirst`` of a lower-case
    ``verbose_name``, so it is never found, and the Arabic history read «تم تغيير Is public».
    Here each stored label is matched to a field of the entry's model (then of any model)
    and shown by that field's name in the active language."""
    try:  # a message of the desk's own (log_change with a sentence) is no JSON
        messages = json.loads(str(entry.change_message))
    except ValueError:
        messages = None
    if not isinstance(messages, list) or not messages:
        return entry.get_change_message()
    model = entry.content_type.model_class() if entry.content_type_id else None
    own, every = _labels(get_language(), model), _labels(get_language(), None)
    for message in messages:
        for details in message.values() if isinstance(message, dict) else ():
            if not isinstance(details, dict):
                continue
            if isinstance(details.get("fields"), list):
                details["fields"] = [
                    own.get(name, every.get(name, name)) for name in details["fields"]
                ]
            if isinstance(details.get("name"), str):
                details["name"] = every.get(details["name"], details["name"])
    return LogEntry(change_message=json.dumps(messages)).get_change_message()


@functools.lru_cache(maxsize=32)
def _labels(language: str | None, model) -> dict[str, str]:
    """A field's stored (English) label → its label in ``language``; ``model`` None: every
    model's fields, and every model's own name (an inline row's)."""
    models = [model] if model is not None else apps.get_models()
    labels = {}
    for each in models:
        named = [each._meta] if model is None else []
        fields = [field for field in each._meta.get_fields() if hasattr(field, "verbose_name")]
        with override(None):
            stored = [str(capfirst(field.verbose_name)) for field in fields]
            stored_names = [str(meta.verbose_name) for meta in named]
        for key, field in zip(stored, fields, strict=True):
            labels.setdefault(key, field_label(field))
        for key, meta in zip(stored_names, named, strict=True):
            labels.setdefault(key, str(meta.verbose_name))
    return labels


def field_label(field) -> str:
    """A field's name in the active language; a translated column (modeltranslation's
    «Title [ar]») by its field's name and its language's: «العنوان (العربية)»."""
    original, language = getattr(field, "translated_field", None), getattr(field, "language", None)
    if original is None or not language:
        return str(capfirst(field.verbose_name))
    name = get_language_info(language)["name_translated"]
    return f"{capfirst(original.verbose_name)} ({name})"


def translated_field_labels(model) -> dict[str, str]:
    """``labels`` for a form of ``model`` (``modelform_factory``): its translated columns by
    ``field_label``. A read-only field and a table's heading take a model field's own name
    («العنوان [ar]»), unless the form's labels name it otherwise."""
    return {
        field.name: field_label(field)
        for field in model._meta.concrete_fields
        if getattr(field, "translated_field", None) is not None
    }
