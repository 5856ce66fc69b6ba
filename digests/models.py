"""Subscribers, the digests made for them, and one delivery row per subscriber and digest.

Personal data is kept to the minimum: an address, two choices and when it was confirmed. A
row exists only once its address is confirmed (the pending request travels in the signed
confirmation link, not in the database), and unsubscribing deletes it, deliveries included.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    email = models.EmailField(_("email address"), max_length=254)
    daily = models.BooleanField(_("daily digest"), default=True)
    breaking = models.BooleanField(_("breaking news"), default=False)
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)
    # The site's language the reader signed up on: their unsubscribe page's (the digests
    # themselves are Arabic).
    language = models.CharField(_("language"), max_length=10, default="ar")
    # The secret in every email's unsubscribe link.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    class Meta:
        ordering = ("-confirmed_at", "-id")
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="subscriber_unique_email",
                violation_error_message=_("This address is already subscribed."),
            ),
            models.CheckConstraint(
                condition=Q(daily=True) | Q(breaking=True),
                name="subscriber_wants_something",
                violation_error_message=_("Choose the daily digest, breaking news or both."),
            ),
        ]

    def __str__(self):
        return self.email


class Digest(models.Model):
    """One email's content, made once and sent to many: the day's digest or one breaking
    article. ``key`` (``daily:2026-12-06``, ``breaking:42``) is unique: however many
    machines run ``send_digest`` at once, each day and each breaking article has one."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily digest")
        BREAKING = "breaking", _("Breaking news")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    key = models.CharField(_("key"), max_length=50, unique=True)
    subject = models.CharField(_("subject"), max_length=300)
    html = models.TextField(_("HTML version"))
    text = models.TextField(_("text version"))
    article_ids = models.JSONField(_("articles"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("digest")
        verbose_name_plural = _("digests")

    def __str__(self):
        return self.subject


class Delivery(models.Model):
    """A digest owed to a subscriber: pending until the mail server accepts it, retried with
    growing waits while it is down, failed after ``MAX_ATTEMPTS`` (shown in the desk)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    digest = models.ForeignKey(
        Digest, verbose_name=_("digest"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ("-id",)
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "subscriber"], name="delivery_once_per_subscriber"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="delivery_pending_idx",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.digest} → {self.subscriber}"
