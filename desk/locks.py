"""Edit locks and the version check: who has an article open, and whether a form is stale.

A lock is a row per article (``EditLock``) kept alive by the form's heartbeat
(desk/static/desk/desk_lock.js, every 30 s); it ends NEWSROOM_LOCK_SECONDS after the last
beat. Opening a free article takes its lock; opening one another editor holds shows who and
since when. "Take over" moves the lock and remembers whom it was taken from: that editor is
told on their next heartbeat or save. The version check compares the form's ``updated_at``
(sent in a hidden field) with the row's, under a row lock, so two saves cannot both pass.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.dates import format_date
from articles.models import Article, StatusChange
from desk.models import EditLock


def display_name(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def when(moment: datetime | None) -> str:
    return format_date(moment, with_time=True) if moment else "—"


@transaction.atomic
def acquire(*, article_id: int, user, opening: bool = False, token: str = "") -> EditLock:
    """Take the article's lock if it is free, ended or already ours (then refresh it);
    return the lock as it now stands (another editor's, when they hold it). ``opening``: the
    form is being shown, and this showing gets a token of its own (see ``release``); a
    heartbeat that finds the lock free takes it under its page's ``token``."""
    now = timezone.now()
    EditLock.objects.bulk_create(
        [EditLock(article_id=article_id, user=user, since=now, heartbeat_at=now)],
        ignore_conflicts=True,
    )
    lock = EditLock.objects.select_for_update().select_related("user").get(article_id=article_id)
    if lock.user_id == user.pk:
        if not lock.is_live:
            lock.since = now
        lock.heartbeat_at = now
        if opening:
            lock.token = secrets.token_hex(16)
        elif not lock.token and token:  # made by this beat just now (bulk_create above)
            lock.token = token[:32]
        lock.save(update_fields=["since", "heartbeat_at", "token"])
    elif not lock.is_live:
        lock.user, lock.since, lock.heartbeat_at, lock.taken_from = user, now, now, None
        lock.token = secrets.token_hex(16) if opening or not token else token[:32]
        lock.save()
    return lock


def current(*, article_id: int) -> EditLock | None:
    """The article's live lock, if any (no write)."""
    return (
        EditLock.objects.live()
        .select_related("user", "taken_from")
        .filter(article_id=article_id)
        .first()
    )


@transaction.atomic
def take_over(*, article_id: int, user) -> EditLock | None:
    """Give ``user`` the lock; return the lock as it was (None when nobody held it)."""
    now = timezone.now()
    acquire(article_id=article_id, user=user)  # makes the row exist (and ours if free)
    lock = EditLock.objects.select_for_update().select_related("user").get(article_id=article_id)
    if lock.user_id == user.pk:
        return None
    previous = EditLock(
        article_id=article_id, user=lock.user, since=lock.since, heartbeat_at=lock.heartbeat_at
    )
    lock.taken_from, lock.user, lock.since, lock.heartbeat_at = lock.user, user, now, now
    lock.save()
    return previous


def release(*, article_id: int, user, token: str | None = None) -> None:
    """End ``user``'s lock; with ``token``, only if it is still that showing of the form's (a
    closed tab's goodbye arrives after the page that replaced it took the lock anew)."""
    locks = EditLock.objects.filter(article_id=article_id, user=user)
    if token is not None:
        locks = locks.filter(token=token)
    locks.delete()


def version_token(article: Article) -> str:
    return article.updated_at.isoformat() if article.updated_at else ""


@dataclass(frozen=True, slots=True)
class Change:
    """Who saved the article last, and when."""

    name: str
    at: datetime | None
    history_id: int | None


def last_change(article_id: int) -> Change:
    record = (
        Article.history.filter(id=article_id)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is not None and record.history_user is not None:
        return Change(display_name(record.history_user), record.history_date, record.history_id)
    status = StatusChange.objects.filter(article_id=article_id).select_related("changed_by").first()
    if status is not None:
        return Change(
            display_name(status.changed_by),
            status.changed_at,
            record.history_id if record else None,
        )
    return Change("—", record.history_date if record else None, getattr(record, "history_id", None))


def parse_token(token: str) -> datetime | None:
    try:
        return parse_datetime(token or "")
    except ValueError:  # well formed but impossible (month 13): a forged or damaged form
        return None


def version_seen(article_id: int, token: str):
    """The history record of the version the editor opened (for the comparison)."""
    moment = parse_token(token)
    if moment is None:
        return None
    # The save that wrote ``updated_at`` recorded its version a moment later.
    history = Article.history.filter(id=article_id)
    return (
        history.filter(history_date__gte=moment)
        .order_by("history_date", "history_id")
        .values_list("history_id", flat=True)
        .first()
    )


def is_stale(*, article_id: int, token: str) -> bool:
    """Whether the article was saved since the form's version ``token``; the row stays locked
    until the transaction ends (the admin's save is one transaction), so a save that passes
    this check cannot be overtaken before it commits."""
    current_version = (
        Article.objects.select_for_update(of=("self",))
        .filter(pk=article_id)
        .values_list("updated_at", flat=True)
        .first()
    )
    seen = parse_token(token)
    return current_version is not None and (seen is None or seen != current_version)
