"""Desk accounts: the signed-in sessions of each account and the publish record.

The second factor itself lives in django-otp's tables (a TOTP device per enrolled account and
a static device holding its recovery codes); see docs/two-factor.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DeskSessionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class DeskSession(models.Model):
    """One signed-in session: where from, on what, since when, and whether it passed the second
    factor. Kept after it ends (the publish record points at it)."""

    class Verification(models.TextChoices):
        NONE = "", _("password only")
        APP = "totp", _("authenticator app")
        RECOVERY = "static", _("recovery code")

    class EndReason(models.TextChoices):
        SIGNED_OUT = "signed-out", _("signed out")
        BY_USER = "by-user", _("ended by the account holder")
        BY_ADMIN = "by-admin", _("ended by an administrator")
        PASSWORD = "password", _("password changed")
        SECOND_FACTOR = "second-factor", _("second factor changed")
        EXPIRED = "expired", _("expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="desk_sessions",
    )
    # The session's key in Django's session store (what ending it deletes); the same secret
    # django_session already holds, never shown.
    session_key = models.CharField(_("session key"), max_length=64, editable=False)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True, default="")
    started_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    verified_at = models.DateTimeField(_("second factor passed"), null=True, blank=True)
    verified_with = models.CharField(
        _("second factor"), max_length=10, choices=Verification, blank=True, default=""
    )
    ended_at = models.DateTimeField(pgettext_lazy("session", "ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=20, choices=EndReason, blank=True, default=""
    )

    objects = DeskSessionQuerySet.as_manager()

    class Meta:
        ordering = ("-last_seen", "-id")
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        indexes = [
            models.Index(
                fields=["user", "-last_seen"],
                name="desksession_user_active_idx",
                condition=Q(ended_at__isnull=True),
            ),
            models.Index(fields=["session_key"], name="desksession_key_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, end_reason="")
                | Q(ended_at__isnull=False) & ~Q(end_reason=""),
                name="desksession_end_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.device}"

    @property
    def device(self) -> str:
        from accounts.devices import describe_user_agent

        return describe_user_agent(self.user_agent)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class PublishRecord(models.Model):
    """Who published, unpublished, scheduled, changed the embargo of or corrected an article,
    when, from which session, and whether that session had passed the second factor."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("publication")
        SCHEDULE = "schedule", _("scheduling")
        UNPUBLISH = "unpublish", _("withdrawal from publication")
        EMBARGO = "embargo", _("embargo change")
        CORRECTION = "correction", _("correction added")

    # SET_NULL and copies: the record outlives the article, the account and the session.
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="publish_records",
    )
    article_title = models.CharField(_("article title"), max_length=250)
    action = models.CharField(_("action"), max_length=20, choices=Action)
    detail = models.CharField(_("detail"), max_length=300, blank=True, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True, default="")
    at = models.DateTimeField(_("at"), default=timezone.now)
    session = models.ForeignKey(
        DeskSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publish_records",
    )
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True, default="")
    verified = models.BooleanField(_("second factor passed"), default=False)
    verified_with = models.CharField(
        _("second factor"),
        max_length=10,
        choices=DeskSession.Verification,
        blank=True,
        default="",
    )

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("publish record")
        verbose_name_plural = _("publish records")
        indexes = [
            models.Index(fields=["article", "-at"], name="publishrecord_article_idx"),
            models.Index(fields=["-at"], name="publishrecord_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.article_title}"

    @property
    def device(self) -> str:
        from accounts.devices import describe_user_agent

        return describe_user_agent(self.user_agent)
