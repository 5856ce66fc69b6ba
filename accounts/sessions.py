"""Signed-in sessions: recorded at sign-in, seen on each request (at most one write a minute),
listed for their owner, ended by the owner, an administrator, or a change of the password or
the second factor.

Ending a session deletes it from Django's session store, so its browser is signed out at its
next request; its row here stays, with when and why it ended (the publish record points at it).
"""

from __future__ import annotations

import logging
import time
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import DeskSession
from newsroom.client import client_ip
from newsroom.logging import current_request

audit = logging.getLogger("newsroom.audit")

SESSION_KEY = "desk_session"  # {"id": DeskSession pk, "key": session key, "seen": unix time}
SEEN_EVERY_SECONDS = 60
DB_ENGINES = {"django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"}


def address(request) -> str | None:
    """The client's address as PostgreSQL's inet takes it, or None (requests made in code)."""
    return client_ip(request)


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def start(request, user) -> DeskSession:
    """Record the session a sign-in just opened (django.contrib.auth's user_logged_in)."""
    if not request.session.session_key:
        request.session.save()
    state = request.session.get(SESSION_KEY)
    if state:  # signed in again in the same session (same account: Django kept its data)
        record = DeskSession.objects.filter(pk=state["id"], user=user, ended_at__isnull=True)
        if record.update(session_key=request.session.session_key):
            state["key"] = request.session.session_key
            request.session[SESSION_KEY] = state
            return record.get()
    record = DeskSession.objects.create(
        user=user,
        session_key=request.session.session_key,
        ip_address=address(request),
        user_agent=request.headers.get("User-Agent", "")[:400],
    )
    request.session[SESSION_KEY] = {
        "id": record.pk,
        "key": request.session.session_key,
        "seen": time.time(),
    }
    return record


def current(request) -> DeskSession | None:
    state = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not state:
        return None
    return DeskSession.objects.filter(pk=state["id"]).first()


def current_id(request) -> int | None:
    state = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return state["id"] if state else None


def after_request(request) -> None:
    """Keep the record in step with its session: a new key (sign-in, second factor, password
    change rotate it) and "last seen", written at most once a minute."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return
    state = request.session.get(SESSION_KEY)
    if not state:  # signed in before this app existed
        start(request, user)
        return
    now = time.time()
    key = request.session.session_key
    if key and key != state["key"]:
        DeskSession.objects.filter(pk=state["id"]).update(session_key=key)
        state["key"] = key
        request.session[SESSION_KEY] = state
    if now - state["seen"] >= SEEN_EVERY_SECONDS:
        updated = DeskSession.objects.filter(pk=state["id"], ended_at__isnull=True).update(
            last_seen=timezone.now()
        )
        if not updated:  # ended elsewhere while this request ran
            request.session.flush()
            return
        state["seen"] = now
        request.session[SESSION_KEY] = state


def mark_verified(request, *, kind: str) -> None:
    state = request.session.get(SESSION_KEY)
    if state is None:
        start(request, request.user)
        state = request.session[SESSION_KEY]
    DeskSession.objects.filter(pk=state["id"]).update(
        verified_at=timezone.now(), verified_with=kind, session_key=request.session.session_key
    )
    state["key"] = request.session.session_key
    request.session[SESSION_KEY] = state


def live(user):
    """The account's sessions still open, newest first; those that expired on their own are
    marked ended on the way."""
    records = list(DeskSession.objects.active().filter(user=user))
    keys = {r.session_key for r in records}
    if settings.SESSION_ENGINE in DB_ENGINES:
        alive = set(
            Session.objects.filter(
                session_key__in=keys, expire_date__gt=timezone.now()
            ).values_list("session_key", flat=True)
        )
    else:
        store = _store()
        alive = {key for key in keys if store().exists(key)}
    expired = [r.pk for r in records if r.session_key not in alive]
    if expired:
        DeskSession.objects.filter(pk__in=expired).update(
            ended_at=timezone.now(), end_reason=DeskSession.EndReason.EXPIRED
        )
    return [r for r in records if r.session_key in alive]


@transaction.atomic
def end(records, *, reason: str, by=None) -> int:
    """End these sessions: deleted from the session store, their rows marked."""
    records = list(records)
    if not records:
        return 0
    store = _store()
    for record in records:
        store().delete(record.session_key)
    DeskSession.objects.filter(pk__in=[r.pk for r in records], ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason
    )
    for record in records:
        audit.info(
            "session ended",
            extra={"event": "session_ended", "user_id": record.user_id,
                   "desk_session": record.pk, "reason": reason,
                   "by": getattr(by, "pk", None)},
        )  # fmt: skip
    return len(records)


def end_others(user, *, reason: str, keep_request=None, by=None) -> int:
    """End every open session of ``user`` but the one serving ``keep_request`` (by default
    the request being handled, when it is that user's)."""
    request = keep_request if keep_request is not None else current_request.get()
    keep = None
    if request is not None and getattr(request, "session", None) is not None:
        session_user = getattr(request, "user", None)
        if session_user is not None and getattr(session_user, "pk", None) == user.pk:
            keep = current_id(request)
    others = DeskSession.objects.active().filter(user=user)
    if keep is not None:
        others = others.exclude(pk=keep)
    return end(others, reason=reason, by=by)


def end_all(user, *, reason: str, by=None) -> int:
    return end(DeskSession.objects.active().filter(user=user), reason=reason, by=by)


def signed_out(request) -> None:
    """user_logged_out: the row says the session ended by signing out."""
    state = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if state:
        DeskSession.objects.filter(pk=state["id"], ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=DeskSession.EndReason.SIGNED_OUT
        )


def on_signed_in(sender, request, user, **kwargs):
    """user_logged_in: record the session, and remember whether the account has a second
    factor (the gate then needs no query per request)."""
    if request is None or not hasattr(request, "session"):
        return
    from accounts import twofactor

    start(request, user)
    request.session[twofactor.ENROLLED_SESSION_KEY] = twofactor.is_enrolled(user)


def on_signed_out(sender, request, user, **kwargs):
    if request is not None:
        signed_out(request)
