"""The desk's view of the outbox: channels to configure, and every delivery, waiting, sent or
failed, with the reason in the desk's language and a button to send again; how many
browsers take alerts."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ops import jobs
from reach import outbox
from reach.models import Channel, Delivery, PushSubscription


class SendingWarnings:
    """Says on the page, before an editor waits for nothing, why nothing will go out: no
    ``run_jobs`` runner made a pass lately, or Telegram channels but no bot token."""

    def warn_if_nothing_sends(self, request):
        no_runner = jobs.runner_warning()
        if no_runner:
            messages.warning(request, no_runner)
        telegram = Channel.objects.filter(kind=Channel.Kind.TELEGRAM, is_active=True)
        if not settings.NEWSROOM_TELEGRAM_BOT_TOKEN and telegram.exists():
            messages.warning(
                request,
                _(
                    "No Telegram bot token is set on the server "
                    "(NEWSROOM_TELEGRAM_BOT_TOKEN): nothing can be posted to Telegram channels."
                ),
            )

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self.warn_if_nothing_sends(request)
        return super().changelist_view(request, extra_context)


@admin.register(Channel)
class ChannelAdmin(SendingWarnings, admin.ModelAdmin):
    list_display = ("name", "kind", "chat", "breaking_only", "is_active", "waiting", "failed")
    list_filter = ("kind", "is_active", "breaking_only")
    search_fields = ("name", "chat")
    autocomplete_fields = ("sections", "topics")
    fields = (
        "name",
        "kind",
        "chat",
        "is_active",
        "breaking_only",
        "silent_unless_breaking",
        "sections",
        "topics",
        "min_interval_seconds",
    )
    # What only a Telegram channel uses: a web push channel reaches the readers who chose
    # an article's section (Channel.wants), silently or not as their browser decides.
    TELEGRAM_ONLY = ("chat", "silent_unless_breaking", "sections", "topics")

    class Media:
        js = ("reach/channel-form.js",)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and obj.kind == Channel.Kind.WEB_PUSH:
            return [name for name in fields if name not in self.TELEGRAM_ONLY]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.kind == Channel.Kind.WEB_PUSH:  # not Telegram's limit
            form.base_fields["min_interval_seconds"].help_text = _(
                "The least time between two alerts to readers' browsers."
            )
        return form

    def get_queryset(self, request):
        count = lambda status: Count("deliveries", filter=Q(deliveries__status=status))  # noqa: E731
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_waiting=count(Delivery.Status.PENDING), n_failed=count(Delivery.Status.FAILED)
            )
        )

    @admin.display(description=_("waiting"), ordering="n_waiting")
    def waiting(self, obj):
        return obj.n_waiting

    @admin.display(description=_("failed"), ordering="n_failed")
    def failed(self, obj):
        return obj.n_failed


@admin.register(Delivery)
class DeliveryAdmin(SendingWarnings, admin.ModelAdmin):
    list_display = (
        "headline",
        "channel",
        "action",
        "version",
        "status",
        "reason",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "action", "channel")
    list_select_related = ("channel",)
    search_fields = ("payload__headline",)
    actions = ("retry",)
    fields = (
        "channel",
        "article_link",
        "version",
        "action",
        "headline",
        "status",
        "reason",
        "error_detail",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "message_id",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description=_("article"))
    def article_link(self, obj):
        """The article, linked to its form in the desk (the delivery keeps only its id: an
        article deleted since leaves its number)."""
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}" dir="auto">{}</a>', url, obj.headline or obj.article_id)

    @admin.display(description=_("headline"))
    def headline(self, obj):
        return obj.headline

    @admin.display(description=_("reason"))
    def reason(self, obj):
        return obj.reason

    @admin.action(description=_("Send again now"), permissions=("change",))
    def retry(self, request, queryset):
        count = outbox.retry(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery will be sent at the next pass.",
                "%(count)d deliveries will be sent at the next pass.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """How many browsers take alerts, and for what: readers subscribe and stop themselves."""

    list_display = ("created_at", "breaking", "section_names")
    list_filter = ("breaking", "sections")
    fields = ("created_at", "breaking", "section_names")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sections")

    @admin.display(description=_("sections"))
    def section_names(self, obj):
        return "، ".join(section.name for section in obj.sections.all())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
