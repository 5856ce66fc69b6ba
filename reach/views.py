"""Readers' breaking-news alerts: the page with the control, subscribing and unsubscribing
(JSON from static/reach/push.js), the service worker at /sw.js and the web app manifest."""

import json
import re
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from articles.models import Section
from reach import push
from reach.models import PushSubscription

SERVICE_WORKER = Path(__file__).resolve().parent / "static" / "reach" / "sw.js"
KEY = re.compile(r"[A-Za-z0-9_-]{16,200}={0,2}")
MAX_BODY = 8192


@never_cache
@require_GET
def alerts(request):
    """«نبّهني بالأخبار العاجلة»: nothing is asked of the browser until the reader clicks."""
    try:
        key = push.application_server_key()
    except push.PushUnavailable:
        key = ""
    context = {"key": key, "sections": Section.objects.all()}  # the sections' own order
    return render(request, "reach/alerts.html", context)


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _read(request) -> dict | None:
    if len(request.body) > MAX_BODY:
        return None
    try:
        data = json.loads(request.body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def posted_json(view):
    """A browser's alert settings come by POST; the address opened by hand (GET) leads to the
    alerts page instead of a blank 405."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            return redirect("reach:alerts")
        return require_POST(view)(request, *args, **kwargs)

    return wrapped


@posted_json
def subscribe(request):
    """Store (or update) a browser's subscription and its choices."""
    data = _read(request)
    if data is None:
        return _error(_("The request could not be read."))
    endpoint = data.get("endpoint")
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(endpoint, str) or len(endpoint) > 1000 or not push.allowed_endpoint(endpoint):
        return _error(_("This browser's push service is not one we can send alerts through."))
    if not all(isinstance(value, str) and KEY.fullmatch(value) for value in (p256dh, auth)):
        return _error(_("The browser's keys for alerts are missing or malformed."))
    breaking = data.get("breaking", True) is not False
    raw_sections = data.get("sections") or []
    if not isinstance(raw_sections, list) or not all(
        isinstance(pk, int | str) and str(pk).isdigit() for pk in raw_sections
    ):
        return _error(_("Choose sections from the list."))
    sections = list(Section.objects.filter(pk__in=[int(pk) for pk in raw_sections][:50]))
    if not breaking and not sections:
        return _error(_("Choose breaking news or at least one section."))
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"p256dh": p256dh, "auth": auth, "breaking": breaking}
    )
    subscription.sections.set(sections)
    return JsonResponse({"ok": True}, status=201)


@posted_json
def unsubscribe(request):
    """Forget a browser (the same answer whether it was subscribed or not)."""
    data = _read(request)
    endpoint = data.get("endpoint") if data else None
    if not isinstance(endpoint, str):
        return _error(_("The request could not be read."))
    PushSubscription.objects.filter(endpoint=endpoint).delete()
    return JsonResponse({"ok": True})


@require_GET
def service_worker(request):
    """``/sw.js``: same origin, scope "/", checked for a new version on every visit."""
    response = HttpResponse(
        SERVICE_WORKER.read_bytes(), content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    """``/manifest.webmanifest``: the installable web app, in Arabic and right to left."""
    data = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "lang": "ar",
        "dir": "rtl",
        "start_url": "/ar/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#7a1515",
        "icons": [
            {
                "src": static(f"reach/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in (192, 512)
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json; charset=utf-8"
    return response
