"""The desk's view of the newsletter: subscribers (exportable, deletable), digests with what
was sent, what waits and what failed, and every delivery with its last error."""

import csv
import json
from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article
from digests.models import Delivery, Digest, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "daily", "breaking", "confirmed_at")
    list_filter = ("daily", "breaking")
    search_fields = ("email",)
    readonly_fields = ("confirmed_at",)
    fields = ("email", "daily", "breaking", "confirmed_at")
    actions = ("export_csv", "export_json")

    @staticmethod
    def rows(queryset):
        """Everything stored about each subscriber (and how many emails they were sent)."""
        sent = Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT))
        for subscriber in queryset.annotate(emails_sent=sent).order_by("id"):
            yield {
                "email": subscriber.email,
                "daily": subscriber.daily,
                "breaking": subscriber.breaking,
                "confirmed_at": subscriber.confirmed_at.isoformat(),
                "emails_sent": subscriber.emails_sent,
            }

    @admin.action(description=_("Export the selected subscribers (CSV)"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        response.write("\ufeff")  # spreadsheet programs then read UTF-8
        fields = ("email", "daily", "breaking", "confirmed_at", "emails_sent")
        writer = csv.DictWriter(response, fieldnames=fields)
        writer.writeheader()
        writer.writerows(self.rows(queryset))
        return response

    @admin.action(description=_("Export the selected subscribers (JSON)"))
    def export_json(self, request, queryset):
        response = HttpResponse(
            json.dumps(list(self.rows(queryset)), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="subscribers.json"'
        return response


class LateDeliveriesWarning:
    """Says on the list when emails have waited past their time for a quarter of an hour:
    `send_digest` (from cron, every five minutes) is not running, or cannot reach the mail
    server; the editor would otherwise wait for nothing."""

    LATE_AFTER = timedelta(minutes=15)

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            late = Delivery.objects.filter(
                status=Delivery.Status.PENDING,
                next_attempt_at__lt=timezone.now() - self.LATE_AFTER,
            ).count()
            if late:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d email has waited more than 15 minutes past its time: is "
                        "manage.py send_digest running (from cron, every 5 minutes)?",
                        "%(count)d emails have waited more than 15 minutes past their time: "
                        "is manage.py send_digest running (from cron, every 5 minutes)?",
                        late,
                    )
                    % {"count": late},
                )
        return super().changelist_view(request, extra_context)


@admin.register(Digest)
class DigestAdmin(LateDeliveriesWarning, admin.ModelAdmin):
    list_display = ("subject", "kind", "created_at", "sent", "waiting", "failed")
    list_filter = ("kind",)
    readonly_fields = ("kind", "key", "subject", "articles", "created_at", "text")
    exclude = ("html", "article_ids")

    @admin.display(description=_("articles"))
    def articles(self, obj):
        """The digest's articles by their headlines, linked to their desk pages (it showed
        «[32]»), in the digest's order."""
        found = Article.objects.in_bulk(obj.article_ids or [])
        rows = [found[pk] for pk in obj.article_ids or [] if pk in found]
        if not rows:
            return "—"
        return format_html(
            '<ul class="digest-articles">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}" dir="auto">{}</a></li>',
                ((reverse("admin:articles_article_change", args=[a.pk]), a.title) for a in rows),
            ),
        )

    def get_queryset(self, request):
        count = lambda status: Count("deliveries", filter=Q(deliveries__status=status))  # noqa: E731
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_sent=count(Delivery.Status.SENT),
                n_waiting=count(Delivery.Status.PENDING),
                n_failed=count(Delivery.Status.FAILED),
            )
        )

    @admin.display(description=_("sent"), ordering="n_sent")
    def sent(self, obj):
        return obj.n_sent

    @admin.display(description=_("waiting"), ordering="n_waiting")
    def waiting(self, obj):
        return obj.n_waiting

    @admin.display(description=_("failed"), ordering="n_failed")
    def failed(self, obj):
        return obj.n_failed

    def has_add_permission(self, request):
        return False


@admin.register(Delivery)
class DeliveryAdmin(LateDeliveriesWarning, admin.ModelAdmin):
    list_display = ("digest", "subscriber", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status", "digest__kind")
    list_select_related = ("digest", "subscriber")
    search_fields = ("subscriber__email",)
    readonly_fields = (
        "digest",
        "subscriber",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    actions = ("retry",)

    @admin.action(description=_("Send again at the next run"))
    def retry(self, request, queryset):
        count = queryset.exclude(status=Delivery.Status.SENT).update(
            status=Delivery.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
        self.message_user(
            request,
            _("%(count)d deliveries will be sent at the next run.") % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False
