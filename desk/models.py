"""Who is editing an article now (edit locks), the desk's internal notes and assignments.

None of this is public: no reading page, feed, sitemap, search or API reads these tables.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article


def lock_cutoff():
    """Locks whose last heartbeat is older than this have ended (the tab was closed)."""
    return timezone.now() - timedelta(seconds=settings.NEWSROOM_LOCK_SECONDS)


class EditLockQuerySet(models.QuerySet):
    def live(self):
        return self.filter(heartbeat_at__gt=lock_cutoff())


class EditLock(models.Model):
    """An editor has the article's form open; kept alive by the form's heartbeat."""

    listed_on_delete = False  # bookkeeping: deleted with its article, not listed

    article = models.OneToOneField(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="edit_lock",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    since = models.DateTimeField(_("editing since"), default=timezone.now)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), default=timezone.now)
    taken_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken over from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    token = models.CharField(
        _("page token"),
        max_length=32,
        blank=True,
        default="",
        help_text=_("Which showing of the form holds the lock."),
    )

    objects = EditLockQuerySet.as_manager()

    class Meta:
        verbose_name = _("edit lock")
        verbose_name_plural = _("edit locks")
        indexes = [models.Index(fields=["heartbeat_at"], name="desk_lock_heartbeat_idx")]

    def __str__(self):
        return f"{self.article_id}: {self.user}"

    @property
    def is_live(self) -> bool:
        return self.heartbeat_at > lock_cutoff()


class Note(models.Model):
    """An internal note on an article, for the desk only: never shown to readers."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="desk_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        indexes = [models.Index(fields=["article", "-created_at"], name="desk_note_article_idx")]

    def __str__(self):
        return self.text[:60]


class Assignment(models.Model):
    """Who writes the article, who edits it, and by when."""

    article = models.OneToOneField(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="assignment",
    )
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("writer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="desk_writing",
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="desk_editing",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return str(self.article_id)
