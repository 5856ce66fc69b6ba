"""An embed: a provider's link as the desk found it at save time, and what readers are shown."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models import Article, MediaImage
from articles.text import check_plain_texts


class Embed(models.Model):
    class Kind(models.TextChoices):
        VIDEO = "video", _("video")
        POST = "post", _("post")
        AUDIO = "audio", _("audio")

    class Status(models.TextChoices):
        OK = "ok", _("player after a click")
        CARD = "card", _("link card")

    class Reason(models.TextChoices):
        """Why a link became a card, said to the desk in Arabic."""

        TIMEOUT = "timeout", _("The provider did not answer in time.")
        UNREACHABLE = "unreachable", _("The provider could not be reached.")
        NOT_FOUND = (
            "not_found",
            _("The provider does not know this post: it may have been deleted or made private."),
        )
        ERROR = "error", _("The provider answered with an error.")
        TOO_LARGE = "too_large", _("The provider's answer was too large and was refused.")
        INVALID = "invalid", _("The provider's answer was not valid oEmbed.")
        NO_TOKEN = (
            "no_token",
            _(
                "Facebook and Instagram embeds need an app token "
                "(NEWSROOM_OEMBED_FACEBOOK_TOKEN); without one the link is shown as a card."
            ),
        )
        NO_OEMBED = "no_oembed", _("This provider has no oEmbed.")
        SCHEME = "scheme", _("Only http and https addresses can be embedded.")
        PENDING = (
            "pending",
            _(
                "Not asked yet: the link came with an import, and manage.py resolve_embeds "
                "asks its provider."
            ),
        )

    url = models.URLField(_("address"), max_length=500, unique=True)
    provider = models.CharField(_("provider"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.POST)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.CARD)
    reason = models.CharField(_("why a card"), max_length=20, choices=Reason, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    author_name = models.CharField(_("author"), max_length=150, blank=True)
    player_url = models.URLField(_("player address"), max_length=1000, blank=True)
    thumbnail = models.ForeignKey(
        MediaImage,
        verbose_name=_("thumbnail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="embeds",
    )
    fetched_at = models.DateTimeField(_("fetched"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ("-updated_at", "-id")
        verbose_name = _("embed")
        verbose_name_plural = _("embeds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="card") | ~models.Q(player_url=""),
                name="embed_player_needs_address",
            ),
        ]

    def __str__(self):
        return self.title or self.url

    @property
    def playable(self) -> bool:
        return self.status == self.Status.OK and bool(self.player_url)

    @property
    def pending(self) -> bool:
        """Kept as a card until its provider is asked (an imported link)."""
        return self.reason == self.Reason.PENDING


class Gallery(models.Model):
    """An ordered set of library images, each with its caption, credit and alt text; shown in
    an article's body (``[gallery <id>]`` alone on a paragraph) or as its lead."""

    title = models.CharField(_("title"), max_length=200)
    lead_of = models.OneToOneField(
        "articles.Article",
        verbose_name=_("lead of the article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead_gallery",
        help_text=_("Show this gallery in place of the article's lead image."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("photo gallery")
        verbose_name_plural = _("photo galleries")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        check_plain_texts(self, ["title"])  # shown as typed on the page («معرض <i>…»)

    @property
    def shortcode(self) -> str:
        """What the editor puts alone on a paragraph of the body to show the gallery there."""
        return f"[gallery {self.pk}]"

    def articles_showing(self):
        """The articles that show this gallery: as their lead, or by its code in a body."""
        code = Q()
        for language, _name in settings.LANGUAGES:
            code |= Q(**{f"body_{language}__contains": self.shortcode})
        return Article.objects.filter(Q(pk=self.lead_of_id) | code).only("title").order_by("pk")


class GalleryItem(models.Model):
    gallery = models.ForeignKey(
        Gallery, verbose_name=_("gallery"), on_delete=models.CASCADE, related_name="items"
    )
    image = models.ForeignKey(
        MediaImage, verbose_name=_("image"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    alt_text = models.CharField(
        _("alt text"), max_length=300, help_text=_("What the image shows, for screen readers.")
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=150, blank=True)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("gallery image")
        verbose_name_plural = _("gallery images")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(alt_text=""), name="galleryitem_alt_text_required"
            ),
        ]
        indexes = [models.Index(fields=["gallery", "position"], name="galleryitem_order")]

    def __str__(self):
        return self.caption or self.alt_text

    def clean(self):
        super().clean()
        check_plain_texts(self, ["alt_text", "caption", "credit"])
