"""Agency feeds and their items (the wires queue), drafts taken from them, and pitches.

None of this is public: only the desk reads these tables.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Author, Section
from articles.text import normalize_arabic


class Feed(models.Model):
    """An agency's feed: where it is, how to read it, whose byline, how often, and its health."""

    class Format(models.TextChoices):
        RSS = "rss", _("RSS 2.0")
        ATOM = "atom", _("Atom")
        NEWSML_G2 = "newsml-g2", _("NewsML-G2")
        NINJS = "ninjs", _("ninjs (JSON)")

    name = models.CharField(_("name"), max_length=150)
    url = models.URLField(
        _("address"),
        max_length=500,
        validators=[  # requests fetches no other (an ftp:// feed failed at every poll)
            URLValidator(
                schemes=["http", "https"],
                message=_("Write the feed's address starting with https:// or http://."),
                code="not_http",  # the form's own "invalid" message would replace this one
            )
        ],
    )
    format = models.CharField(_("format"), max_length=10, choices=Format, default=Format.RSS)
    agency = models.ForeignKey(
        Author,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="wire_feeds",
        limit_choices_to={"kind": Author.Kind.AGENCY},
        help_text=_(
            "The agency's byline on drafts taken from this feed: an author of the kind «News "
            "agency» (add one under authors if the list is empty)."
        ),
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("default section"),
        on_delete=models.PROTECT,
        related_name="wire_feeds",
    )
    poll_seconds = models.PositiveIntegerField(
        _("poll every (seconds)"), default=300, help_text=_("At least 30 seconds.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    etag = models.CharField(_("ETag"), max_length=300, blank=True, editable=False)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=500, blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True, editable=False)
    # What the last good poll left out (entries without an identifier or a headline).
    last_left_out = models.PositiveIntegerField(
        _("entries left out at the last poll"), default=0, editable=False
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("agency feed")
        verbose_name_plural = _("agency feeds")
        constraints = [
            models.CheckConstraint(condition=Q(poll_seconds__gte=30), name="wires_feed_poll_min"),
            models.UniqueConstraint(fields=["url"], name="wires_feed_unique_url"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.agency_id and self.agency.kind != Author.Kind.AGENCY:
            raise ValidationError({"agency": _("Choose an author of kind “News agency”.")})
        if self.poll_seconds is not None and self.poll_seconds < 30:
            raise ValidationError({"poll_seconds": _("Poll at most every 30 seconds.")})

    def is_due(self, now=None) -> bool:
        now = now or timezone.now()
        return self.last_polled_at is None or (
            self.last_polled_at + timedelta(seconds=self.poll_seconds) <= now
        )

    @property
    def is_healthy(self) -> bool:
        if self.last_error_at is None:
            return self.last_success_at is not None
        return self.last_success_at is not None and self.last_success_at > self.last_error_at


class WireItemQuerySet(models.QuerySet):
    def search(self, query: str):
        """Items whose headline or text hold every word of ``query``, Arabic variants folded."""
        result = self
        for word in normalize_arabic(query).lower().split():
            result = result.filter(search_text__contains=word)
        return result


class WireItem(models.Model):
    """One agency story as the agency last sent it (its guid, at its latest version)."""

    class Status(models.TextChoices):
        USABLE = "usable", _("Usable")
        WITHDRAWN = "withdrawn", _("Withdrawn by the agency")

    feed = models.ForeignKey(
        Feed, verbose_name=_("feed"), on_delete=models.CASCADE, related_name="items"
    )
    guid = models.CharField(_("agency identifier"), max_length=500)
    version = models.PositiveIntegerField(_("agency version"), default=0)
    content_hash = models.CharField(max_length=64, editable=False)
    headline = models.CharField(_("headline"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    lang = models.CharField(_("language"), max_length=20, blank=True)
    link = models.URLField(_("original"), max_length=1000, blank=True)
    published_at = models.DateTimeField(_("sent by the agency"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated by the agency"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.USABLE)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = WireItemQuerySet.as_manager()

    class Meta:
        ordering = ("-received_at", "-id")
        verbose_name = _("wire")
        verbose_name_plural = _("Wires")
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="wires_item_once_per_feed"),
        ]
        indexes = [models.Index(fields=["feed", "-received_at"], name="wires_item_feed_idx")]

    def __str__(self):
        return self.headline

    @property
    def is_new(self) -> bool:
        minutes = settings.NEWSROOM_WIRES_NEW_MINUTES
        return self.received_at > timezone.now() - timedelta(minutes=minutes)


class TakenWire(models.Model):
    """A draft made from a wire item; flagged when the agency updates or withdraws the item."""

    class Flag(models.TextChoices):
        NONE = "", _("None")
        UPDATED = "updated", _("The agency updated the item")
        WITHDRAWN = "withdrawn", _("The agency withdrew the item: do not publish")

    item = models.OneToOneField(
        WireItem, verbose_name=_("wire"), on_delete=models.PROTECT, related_name="taken"
    )
    article = models.OneToOneField(
        Article, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="wire"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    flag = models.CharField(
        _("what the agency did since"), max_length=10, choices=Flag, blank=True, default=""
    )
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flag cleared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cleared_at = models.DateTimeField(_("flag cleared at"), null=True, blank=True)

    class Meta:
        ordering = ("-taken_at",)
        verbose_name = _("draft taken from a wire")
        verbose_name_plural = _("drafts taken from wires")

    def __str__(self):
        return f"{self.item_id} → {self.article_id}"


class Pitch(models.Model):
    """A story idea for the day's budget, approved by an editor into an assigned draft."""

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        NORMAL = 2, _("Normal")
        LOW = 3, _("Low")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    headline = models.CharField(_("headline idea"), max_length=250)
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="pitches"
    )
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("writer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pitches",
    )
    expected_at = models.DateTimeField(_("expected at"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PROPOSED)
    notes = models.TextField(_("notes"), blank=True)
    article = models.OneToOneField(
        Article,
        verbose_name=_("draft"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="pitch",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ("expected_at", "priority", "id")
        verbose_name = _("pitch")
        verbose_name_plural = _("pitches")
        indexes = [models.Index(fields=["expected_at"], name="wires_pitch_expected_idx")]

    def __str__(self):
        return self.headline
