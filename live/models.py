"""A live coverage (one per article) and its entries.

Entries are never deleted by the desk: "removing" one sets ``removed_at`` (readers stop seeing
it, the desk and its history keep it). Editing one sets ``edited_at`` (readers see «عُدّل»).

Every change to entries readers have already seen (an edit, a removal, a restore, a pin moved)
raises the coverage's ``revision`` by one and stamps the changed entries with it, so an open
page that knows revision N asks for the entries changed after N (live/views.py ``updates``).
"""

import html

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from uploads.images import validate_image_file


class LiveCoverage(models.Model):
    class State(models.TextChoices):
        LIVE = "live", _("live")
        ENDED = "ended", _("ended")

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="live_coverage",
        verbose_name=_("article"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.LIVE)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    revision = models.PositiveBigIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Raised by every change to entries readers have seen."),
    )

    class Meta:
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverages")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="live", ended_at__isnull=True)
                | Q(state="ended", ended_at__isnull=False),
                name="live_coverage_end_matches_state",
            ),
        ]

    def __str__(self):
        return str(self.article)

    @property
    def is_live(self) -> bool:
        return self.state == self.State.LIVE

    def clean(self):
        if (self.state == self.State.ENDED) != (self.ended_at is not None):
            raise ValidationError(_("An ended coverage has an end time; a live one has none."))


class LiveEntryQuerySet(models.QuerySet):
    def visible(self):
        """What readers see: not removed."""
        return self.filter(removed_at__isnull=True)

    def for_reading(self):
        """Pinned first, then newest first."""
        return self.select_related("author").order_by("-is_pinned", "-posted_at", "-id")


class LiveEntry(models.Model):
    coverage = models.ForeignKey(
        LiveCoverage, on_delete=models.CASCADE, related_name="entries", verbose_name=_("coverage")
    )
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)
    body = models.TextField(_("text"), help_text=_("Sanitised rich text."))
    image = models.ImageField(
        _("image"), upload_to="live/%Y/%m/", blank=True, validators=[validate_image_file]
    )
    image_renditions = models.JSONField(
        _("image renditions"), default=list, blank=True, editable=False
    )
    image_alt = models.CharField(_("image alt text"), max_length=300, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=150, blank=True)
    author = models.ForeignKey(
        "articles.Author",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    is_breaking = models.BooleanField(_("breaking"), default=False)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    revision = models.PositiveBigIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("The coverage's revision at this entry's last change."),
    )
    history = HistoricalRecords(excluded_fields=("image_renditions", "revision"))

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        ordering = ("-posted_at", "-id")
        indexes = [
            models.Index(fields=["coverage", "-id"], name="live_entry_coverage_id"),
            models.Index(fields=["coverage", "revision"], name="live_entry_coverage_rev"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["coverage"],
                condition=Q(is_pinned=True, removed_at__isnull=True),
                name="live_entry_one_pinned",
            ),
        ]

    def __str__(self):
        return Truncator(self.text).chars(60)

    @property
    def body_html(self):
        """The text as stored: sanitised by live.services on every save, so safe to render."""
        return mark_safe(self.body)

    @property
    def text(self) -> str:
        """The entry's words as read («&amp;» is «&»: the desk's title showed the code)."""
        return " ".join(html.unescape(strip_tags(self.body)).split())

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def largest_rendition(self):
        return self.image_renditions[-1] if self.image_renditions else None
