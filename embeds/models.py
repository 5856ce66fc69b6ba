"""An embed: a provider's link as the desk found it at save time, and what readers are shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import MediaImage


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
