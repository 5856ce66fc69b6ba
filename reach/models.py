"""Channels off the site and the outbox: one delivery per channel, article and version.

A ``Delivery`` is one thing a channel must do about one article: post it, edit its post
(a correction, a new headline) or delete it (unpublished). The article's versions for a
channel are numbered 1, 2, 3…; the pair (channel, article, version) is unique, so however
many processes notice the same change, the channel is asked once. Each delivery is taken by
one runner (``SELECT … FOR UPDATE SKIP LOCKED``) and marked "sending" before the call, so a
runner that dies mid-call leaves a post marked uncertain, never sent a second time.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section, Topic

# @name (5 to 32 letters, digits, underscores) or a numeric chat id (channels: -100…).
CHAT = re.compile(r"@[A-Za-z][A-Za-z0-9_]{4,31}|-?[0-9]{1,20}")


# «t.me/name», or «t.me/s/name» (the channel's page in a browser)
TELEGRAM_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:s/)?([A-Za-z][A-Za-z0-9_]{4,31})/?"
)


def chat_from_link(value: str) -> str:
    """A channel's link as editors copy it («https://t.me/masa_news») as its @name; anything
    else as typed."""
    value = (value or "").strip()
    found = TELEGRAM_LINK.fullmatch(value)
    return f"@{found.group(1)}" if found else value


def validate_chat(value: str) -> None:
    if not CHAT.fullmatch(value or ""):
        raise ValidationError(
            _("Write the channel as @name or as its numeric chat id (for example -1001234567890)."),
            code="invalid_chat",
        )


class Channel(models.Model):
    """Where articles go off the site: for now a Telegram channel the outlet's bot posts to."""

    class Kind(models.TextChoices):
        TELEGRAM = "telegram", _("Telegram channel")
        WEB_PUSH = "web_push", _("Web push to readers' browsers")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.TELEGRAM)
    chat = models.CharField(
        _("channel"),
        max_length=40,
        blank=True,
        help_text=_(
            "@name of the channel, or its numeric chat id. The bot (its token is set on the "
            "server, NEWSROOM_TELEGRAM_BOT_TOKEN) must be an administrator there."
        ),
    )
    sections = models.ManyToManyField(
        Section,
        verbose_name=_("sections"),
        blank=True,
        related_name="+",
        help_text=_("Only articles of these sections (or topics). None chosen: every article."),
    )
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("topics"),
        blank=True,
        related_name="+",
        help_text=_("Only articles about these topics (or in the sections above)."),
    )
    breaking_only = models.BooleanField(
        _("breaking news only"), default=False, help_text=_("Post only articles marked breaking.")
    )
    silent_unless_breaking = models.BooleanField(
        _("silent unless breaking"),
        default=True,
        help_text=_("Other articles arrive without a sound on readers' phones."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    min_interval_seconds = models.PositiveSmallIntegerField(
        _("seconds between messages"),
        default=3,
        help_text=_("Telegram allows about 20 messages a minute in one channel."),
    )
    # The rate limit's clock: nothing is sent to this channel before it (a 429 moves it on).
    next_send_at = models.DateTimeField(_("next message not before"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.kind == self.Kind.WEB_PUSH:
            if Channel.objects.filter(kind=self.kind).exclude(pk=self.pk).exists():
                twice = _(
                    "There is a web push channel already: readers would get each alert twice."
                )
                raise ValidationError({"kind": twice})
            self.chat = ""  # typed before the kind was changed: no chat is posted to
        if self.kind == self.Kind.TELEGRAM:
            self.chat = chat_from_link(self.chat)
            try:
                validate_chat(self.chat)
            except ValidationError as error:
                raise ValidationError({"chat": error.messages}) from None
            # Telegram's @names ignore case: @Masa_News and @masa_news are one channel, which
            # two rows here would post every article to twice.
            twin = Channel.objects.filter(kind=self.kind, chat__iexact=self.chat.strip())
            if twin.exclude(pk=self.pk).exists():
                twice = _("This channel is already in the list: each article would go to it twice.")
                raise ValidationError({"chat": twice})

    def wants(self, article: Article, article_topics: set[int]) -> bool:
        """Whether this channel shows ``article`` (published now, about ``article_topics``)
        given its filters (sections and topics prefetched). Web push: breaking news, and
        articles of a section some reader chose."""
        if self.kind == self.Kind.WEB_PUSH:
            if article.is_breaking:
                return True
            if self.breaking_only:
                return False
            return PushSubscription.objects.filter(sections=article.section_id).exists()
        if self.breaking_only and not article.is_breaking:
            return False
        sections = {section.pk for section in self.sections.all()}
        topics = {topic.pk for topic in self.topics.all()}
        if not sections and not topics:
            return True
        return article.section_id in sections or bool(topics & article_topics)


class Delivery(models.Model):
    """One thing a channel must do about one article, waiting, being sent, sent or failed."""

    class Action(models.TextChoices):
        POST = "post", _("Post")
        EDIT = "edit", _("Edit the post")
        DELETE = "delete", _("Delete the post")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Error(models.TextChoices):
        FORBIDDEN = "forbidden", _("Forbidden")
        RATE_LIMITED = "rate_limited", _("Too many messages")
        SERVER = "server", _("Server error")
        UNREACHABLE = "unreachable", _("Unreachable")
        REFUSED = "refused", _("Refused")
        GONE = "gone", _("Message gone")
        NO_TOKEN = "no_token", _("No bot token")
        NO_SITE_URL = "no_site_url", _("No site address")
        UNCERTAIN = "uncertain", _("Cut off")

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # No database constraint: the deletion of a deleted article's post outlives the article.
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=10, choices=Action)
    # What the channel is to show: headline, lead, path, photo, breaking, corrected.
    payload = models.JSONField(_("content"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.BigIntegerField(_("message"), null=True, blank=True)
    message_kind = models.CharField(_("message kind"), max_length=10, blank=True)
    error = models.CharField(_("error"), max_length=20, choices=Error, blank=True)
    error_detail = models.CharField(_("error detail"), max_length=500, blank=True)
    retry_after = models.PositiveIntegerField(_("wait asked (seconds)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("off-site delivery")
        verbose_name_plural = _("off-site deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "article", "version"], name="delivery_once_per_version"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="reach_delivery_due_idx",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["status", "-created_at"], name="reach_delivery_status_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.headline}"

    @property
    def headline(self) -> str:
        return self.payload.get("headline", "")

    @property
    def reason(self) -> str:
        """Why it failed or waits, in the desk's language."""
        if not self.error:
            return ""
        messages = {
            self.Error.FORBIDDEN: gettext(
                "The bot may not post to this channel: it was removed from it or is not an "
                "administrator there."
            ),
            self.Error.RATE_LIMITED: ngettext(
                "Telegram asked us to wait %(seconds)s second before the next message.",
                "Telegram asked us to wait %(seconds)s seconds before the next message.",
                self.retry_after or 0,
            ),
            self.Error.SERVER: gettext("Telegram answered with an error; it will be tried again."),
            self.Error.UNREACHABLE: gettext(
                "Telegram could not be reached; it will be tried again."
            ),
            self.Error.REFUSED: gettext("Telegram refused the message."),
            self.Error.GONE: gettext("The message is no longer in the channel."),
            self.Error.NO_TOKEN: gettext(
                "No bot token is set on the server (NEWSROOM_TELEGRAM_BOT_TOKEN)."
            ),
            self.Error.NO_SITE_URL: gettext(
                "The site's address is not set on the server (NEWSROOM_SITE_URL): the post "
                "needs a full link."
            ),
            self.Error.UNCERTAIN: gettext(
                "The sending was cut off: it is not known whether the post arrived. Look at "
                "the channel before sending it again."
            ),
        }
        text = messages.get(self.error, self.error)
        if self.error == self.Error.RATE_LIMITED:
            text %= {"seconds": self.retry_after or 0}
        return text


class PushSubscription(models.Model):
    """A reader's browser that asked for alerts (RFC 8030): where its push service takes
    messages for it and the keys they are encrypted with (RFC 8291). Nothing else about the
    reader is kept; a 404 or 410 from the push service deletes the row."""

    endpoint = models.URLField(_("push service address"), max_length=1000, unique=True)
    p256dh = models.CharField(_("browser's public key"), max_length=200)
    auth = models.CharField(_("authentication secret"), max_length=100)
    breaking = models.BooleanField(_("breaking news"), default=True)
    sections = models.ManyToManyField(
        Section, verbose_name=_("sections"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self):
        return self.endpoint[:60]

    def info(self) -> dict:
        """The subscription as browsers give it (PushSubscription.toJSON())."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushMessage(models.Model):
    """One article's alert owed to one subscribed browser: the fan-out of a web-push
    delivery, sent in batches by every runner (``SKIP LOCKED``), once."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="+"
    )
    subscription = models.ForeignKey(
        PushSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Delivery.Status, default=Delivery.Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ("-id",)
        verbose_name = _("push message")
        verbose_name_plural = _("push messages")
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "subscription"], name="push_once_per_subscription"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="reach_push_due_idx",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.delivery_id} → {self.subscription_id}"
