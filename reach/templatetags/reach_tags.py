"""The outbox on the desk's index: what waits, what went out today, what failed and why."""

from django import template
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

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
