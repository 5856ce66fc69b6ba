"""A front page layout (draft, live or kept in history), its ordered blocks and their slots.

A layout is the home page's, or a section page's (its lead and hand-picked slots above the
section's own list). One draft and one live layout at most for each; publishing copies the
draft into a new live layout and keeps the previous live one as history (``services.publish``).
``version`` counts the draft's saves: a form opened at an older version is refused
(``Layout.check_version``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import uri_to_iri
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Author, Section, StoryFile, Topic

MAX_BLOCK_SIZE = 24


class Layout(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LIVE = "live", _("Live now")
        HISTORY = "history", _("Published before")

    name = models.CharField(
        _("name"), max_length=120, blank=True, help_text=_("For the desk, e.g. «صباح الاثنين».")
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section page"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: the home page."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    edited = models.BooleanField(
        _("edited by an editor"),
        default=False,
        editable=False,
        help_text=_("Saved in the desk: the demo loader leaves it alone."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # The draft first, then the live layout and the history, newest first.
        ordering = (models.F("published_at").desc(nulls_first=True), "-id")
        verbose_name = _("front page layout")
        verbose_name_plural = _("front page layouts")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "status"],
                condition=Q(status__in=["draft", "live"]),
                nulls_distinct=False,  # the home page's (no section) too
                name="frontpage_layout_one_draft_one_live",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="frontpage_layout_published_has_time",
            ),
        ]

    def __str__(self):
        label = self.get_status_display()
        if self.published_at:
            label += " · " + timezone.localtime(self.published_at).strftime("%Y-%m-%d %H:%M")
        if self.section_id:
            label = f"{self.section} · {label}"
        return f"{self.name} ({label})" if self.name else label

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def check_version(self, seen) -> None:
        """Refuse a save from a form opened at an older version of this draft (another editor
        saved in between). Call inside the save's transaction: the row stays locked."""
        current = (
            Layout.objects.select_for_update().filter(pk=self.pk).values_list("version", flat=True)
        ).first()
        if current is not None and str(current) != str(seen):
            raise ValidationError(
                _(
                    "Another editor saved this front page after you opened it. Your changes "
                    "were not saved, and nothing you typed is lost: it is all below. Reload "
                    "the page to see theirs, then make your changes again."
                ),
                code="stale",
            )

    def mark_saved(self) -> None:
        """One more save of the draft: forms opened before it are stale."""
        Layout.objects.filter(pk=self.pk).update(version=models.F("version") + 1, edited=True)
        self.refresh_from_db(fields=["version", "edited"])


class Block(models.Model):
    class Kind(models.TextChoices):
        LEAD = "lead", _("Lead story")
        PICKED = "picked", _("Hand-picked list")
        SECTION = "section", _("Section")
        TOPIC = "topic", _("Topic")
        STORY_FILE = "story_file", _("Story file")
        MOST_READ = "most_read", _("Most read")
        LIVE = "live", _("Live coverage")
        OPINION = "opinion", _("Opinion")
        LINKS = "links", _("Links")

    # What each kind needs chosen, and what it may take.
    REQUIRED = {
        "section": ("section",),
        "topic": ("topic",),
        "story_file": ("story_file",),
    }

    layout = models.ForeignKey(
        Layout, verbose_name=_("layout"), on_delete=models.CASCADE, related_name="blocks"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.PICKED)
    title = models.CharField(
        _("title"), max_length=120, blank=True, help_text=_("Empty: the section's, topic's…")
    )
    size = models.PositiveSmallIntegerField(
        _("size"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_BLOCK_SIZE)],
        help_text=_("How many stories (or links) it shows."),
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    story_file = models.ForeignKey(
        StoryFile,
        verbose_name=_("story file"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("An opinion block shows a section's or an author's articles."),
    )
    backfill = models.BooleanField(
        _("fill by its rule"),
        default=True,
        help_text=_("Empty slots take its section's, topic's… latest."),
    )
    deduplicate = models.BooleanField(
        _("skip stories shown above"),
        default=True,
        help_text=_("Untick to repeat stories blocks above show."),
    )

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=1, size__lte=MAX_BLOCK_SIZE),
                name="frontpage_block_size_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind="opinion") | Q(section__isnull=True) | Q(author__isnull=True),
                name="frontpage_opinion_section_or_author",
            ),
        ]

    def __str__(self):
        return self.heading or self.get_kind_display()

    def clean(self):
        errors = {}
        for field in self.REQUIRED.get(self.kind, ()):
            if getattr(self, f"{field}_id") is None:
                errors[field] = _("A block of the kind «%(kind)s» needs its %(field)s.") % {
                    "kind": self.get_kind_display(),
                    "field": self._meta.get_field(field).verbose_name,
                }
        if self.kind == self.Kind.OPINION and (self.section_id is None) == (self.author_id is None):
            errors["author"] = _("An opinion block shows either a section or an author.")
        if errors:
            raise ValidationError(errors)

    @property
    def heading(self) -> str:
        """Its title, else the name of what it shows."""
        if self.title:
            return self.title
        source = {
            "section": self.section,
            "opinion": self.section or self.author,
            "topic": self.topic,
            "story_file": self.story_file,
        }.get(self.kind)
        return str(source) if source else ""

    @property
    def link(self) -> str:
        """Where the heading leads (the section's, topic's, file's or author's page)."""
        source = {
            "section": self.section,
            "opinion": self.section or self.author,
            "topic": self.topic,
            "story_file": self.story_file,
        }.get(self.kind)
        return source.get_absolute_url() if source else ""


def is_link_address(value: str) -> bool:
    """A slot's address: empty, a path on this site («/ar/…», not «//host»), or an http(s)
    address; no spaces or control characters (a javascript: or data: link never)."""
    if not value:
        return True
    if any(character.isspace() or ord(character) < 32 for character in value):
        return False
    if value.startswith("/"):
        return not value.startswith("//")
    return value.startswith(("https://", "http://")) and len(value) > len("https://")


class Slot(models.Model):
    """A place in a block: a hand-picked article (or, in a links block, a label and an address),
    shown from ``starts_at`` until ``ends_at`` when either is set."""

    block = models.ForeignKey(
        Block, verbose_name=_("block"), on_delete=models.CASCADE, related_name="slots"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    label = models.CharField(_("link text"), max_length=150, blank=True)
    url = models.CharField(
        _("link address"),
        max_length=500,
        blank=True,
        help_text=_("A path on this site (/ar/…) or an https:// address."),
    )
    starts_at = models.DateTimeField(_("shown from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("shown until"), null=True, blank=True)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="frontpage_slot_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.label or (str(self.article) if self.article_id else "—")

    def full_clean(self, exclude=None, **kwargs):
        self._refused_fields = set(exclude or ())  # the form's own refusals (clean() reads it)
        return super().full_clean(exclude=exclude, **kwargs)

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})
        # An article the form refused (an id that is none) is told once, by the form: not
        # also «choose an article» beside «choose a valid one».
        refused_article = "article" in getattr(self, "_refused_fields", ())
        if self.article_id is None and not refused_article and not (self.label and self.url):
            raise ValidationError(_("Choose an article, or give a link's text and address."))
        # The address has a column per language (modeltranslation): the error goes to the
        # one the editor typed (an error on "url" itself named no field of the form: a 500).
        # An address copied from the browser's bar comes percent-encoded: kept as read
        # («/ar/section/ثقافة/»; reserved characters such as %2F and %3F stay encoded).
        for code, _name in settings.LANGUAGES:
            name = f"url_{code}"
            if getattr(self, name, None):
                setattr(self, name, uri_to_iri(getattr(self, name)))
        wrong = {
            name: _("Give a path on this site (/ar/…) or a full address.")
            for name in [f"url_{code}" for code, _name in settings.LANGUAGES]
            if not is_link_address(getattr(self, name, "") or "")
        }
        if wrong:
            raise ValidationError(wrong)

    def is_shown_at(self, moment) -> bool:
        return (self.starts_at is None or self.starts_at <= moment) and (
            self.ends_at is None or moment < self.ends_at
        )
