"""Readers' comments: django-comments-xtd's threaded comment plus what our moderation needs.

``ReaderComment`` is ``COMMENTS_XTD_MODEL`` (the example/custom recipe of comments-xtd 2.10):
``django_comments.get_model()`` returns it, so other code creates comments the usual way.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator, validate_email, validate_ipv46_address
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment, XtdCommentManager

from articles.text import normalize_arabic


def fingerprint(*, content_type_id, object_pk, parent_id, email, name, text) -> str:
    """What makes two comments "the same": article, parent, address, name and folded text."""
    folded = [" ".join(normalize_arabic(value or "").casefold().split()) for value in (name, text)]
    parts = [str(content_type_id), str(object_pk), str(parent_id or 0), (email or "").lower()]
    return hashlib.sha256("\x1f".join(parts + folded).encode()).hexdigest()


def max_thread_level(obj) -> int:
    """How deep replies may go under ``obj`` (comments-xtd's settings, without a query)."""
    from django_comments_xtd.conf import settings as xtd_settings

    return xtd_settings.COMMENTS_XTD_MAX_THREAD_LEVEL_BY_APP_MODEL.get(
        obj._meta.label_lower, xtd_settings.COMMENTS_XTD_MAX_THREAD_LEVEL
    )


class ReaderCommentQuerySet(models.QuerySet):
    def published(self):
        """What readers see: public and not removed."""
        return self.filter(is_public=True, is_removed=False)

    def waiting(self):
        """The moderation queue: held for a moderator, not spam, not removed."""
        return self.filter(
            is_public=False, is_removed=False, is_spam=False, awaiting_confirmation=False
        )

    def for_object(self, obj):
        return self.filter(
            content_type__app_label=obj._meta.app_label,
            content_type__model=obj._meta.model_name,
            object_pk=str(obj.pk),
            site_id=settings.SITE_ID,
        )

    def count_subquery(self, model):
        """A subquery counting published comments of each row of ``model`` (for annotate)."""
        counts = (
            self.model.norel_objects.published()
            .filter(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                object_pk=Cast(OuterRef("pk"), models.CharField()),
                site_id=settings.SITE_ID,
            )
            .order_by()
            .values("object_pk")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counts, output_field=models.IntegerField()), 0)


class ReaderCommentManager(XtdCommentManager.from_queryset(ReaderCommentQuerySet)):
    pass


class PlainCommentManager(models.Manager.from_queryset(ReaderCommentQuerySet)):
    """Without comments-xtd's select_related and thread ordering."""


class ReaderComment(XtdComment):
    content_hash = models.CharField(
        _("content fingerprint"),
        max_length=64,
        editable=False,
        help_text=_("Same article, parent, address and text: a duplicate."),
    )
    is_spam = models.BooleanField(_("spam"), default=False, db_index=True)
    hold_reason = models.CharField(_("held because"), max_length=200, blank=True)
    awaiting_confirmation = models.BooleanField(_("awaiting email confirmation"), default=False)

    objects = ReaderCommentManager()
    norel_objects = PlainCommentManager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            # Twenty identical posts at the same instant store one: the database decides.
            models.UniqueConstraint(fields=["content_hash"], name="comment_unique_content"),
        ]

    def __str__(self):
        return f"{self.user_name}: {self.comment[:50]}"

    def save(self, *args, **kwargs):
        # Derived columns only. An importer may set content_hash itself (say "legacy:<id>")
        # to keep old comments that look alike; otherwise a duplicate raises IntegrityError.
        if self.submit_date is None:
            self.submit_date = timezone.now()
        if not self.site_id:
            self.site_id = settings.SITE_ID
        if not self.content_hash:
            self.content_hash = fingerprint(
                content_type_id=self.content_type_id,
                object_pk=self.object_pk,
                parent_id=self.parent_id if self.parent_id != self.pk else 0,
                email=self.user_email,
                name=self.user_name,
                text=self.comment,
            )
        super().save(*args, **kwargs)

    @property
    def state(self):
        if self.is_spam:
            return "spam"
        if self.is_removed:
            return "removed"
        if self.awaiting_confirmation:
            return "unconfirmed"
        return "published" if self.is_public else "waiting"


class BlockedTerm(models.Model):
    """A word, address, domain or IP that moderators refuse, editable in the admin."""

    class Kind(models.TextChoices):
        WORD = "word", _("Word or phrase")
        EMAIL = "email", _("Email address")
        DOMAIN = "domain", _("Email domain")
        IP = "ip", _("IP address")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.WORD)
    value = models.CharField(_("value"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("kind", "value")
        verbose_name = _("blocked word or address")
        verbose_name_plural = _("blocked words and addresses")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="blockedterm_unique_value"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        self.value = self.value.strip()
        if self.kind != self.Kind.WORD:
            self.value = self.value.lower()
        super().save(*args, **kwargs)

    def clean(self):
        """An address is one of its kind («not-an-ip» as an IP address was saved and blocked
        nothing), refused in Arabic at the value."""
        super().clean()
        value = (self.value or "").strip().lower()
        checks = {
            self.Kind.IP: (validate_ipv46_address, _("Write an IP address, such as 203.0.113.7.")),
            self.Kind.EMAIL: (
                validate_email,
                _("Write an email address, such as name@example.com."),
            ),
            self.Kind.DOMAIN: (
                lambda domain: DomainNameValidator()(domain.lstrip("@")),
                _("Write a domain, such as example.com."),
            ),
        }
        if self.kind in checks and value:
            check, message = checks[self.kind]
            try:
                check(value)
            except ValidationError:
                raise ValidationError({"value": message}) from None
