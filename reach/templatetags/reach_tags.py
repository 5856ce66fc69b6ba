"""The outbox on the desk's index (what waits, what went out today, what failed and why), and
readers' share links on the article page."""

from urllib.parse import urlencode

from django import template
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from reach.models import Delivery

register = template.Library()
LATEST_FAILURES = 5


@register.simple_tag(takes_context=True)
def outbox_summary(context):
    """Counts and the latest failures, for those who may see deliveries (nothing otherwise,
    nor when the outlet has no channel yet)."""
    request = context.get("request")
    if request is None or not request.user.has_perm("reach.view_delivery"):
        return ""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    counts = Delivery.objects.aggregate(
        waiting=Count(
            "pk", filter=Q(status__in=(Delivery.Status.PENDING, Delivery.Status.SENDING))
        ),
        sent_today=Count("pk", filter=Q(status=Delivery.Status.SENT, sent_at__gte=today)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        total=Count("pk"),
    )
    if not counts["total"]:
        return ""
    failures = list(
        Delivery.objects.filter(status=Delivery.Status.FAILED)
        .select_related("channel")
        .order_by("-created_at", "-id")[:LATEST_FAILURES]
    )
    return render_to_string(
        "reach/outbox_summary.html", {**counts, "failures": failures}, request=request
    )


def share_targets(url: str, title: str) -> list[dict]:
    """Plain links that open each service's own share page with the short address (no
    script of theirs on our pages, nothing sent anywhere until the reader follows one)."""
    text = f"{title} {url}"
    return [
        {
            "key": "telegram",
            "name": _("Telegram"),
            "href": "https://t.me/share/url?" + urlencode({"url": url, "text": title}),
        },
        {
            "key": "whatsapp",
            "name": _("WhatsApp"),
            "href": "https://wa.me/?" + urlencode({"text": text}),
        },
        {
            "key": "x",
            "name": _("X"),
            "href": "https://x.com/intent/post?" + urlencode({"text": title, "url": url}),
        },
        {
            "key": "facebook",
            "name": _("Facebook"),
            "href": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        },
    ]


@register.inclusion_tag("reach/share_links.html")
def share_links(article, url):
    """The article's share links to ``url`` (its absolute short address ``/a/<id>``)."""
    return {"targets": share_targets(url, article.title), "title": article.title}
