"""The view counter's endpoints, outside i18n_patterns (see counters/README.md). The WSGI
fast path (counters/wsgi.py) answers the same URLs before Django in production; these views
answer them under ``runserver`` and in tests, with the same judging and counting."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from counters import services

TRANSPARENT_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _count(request, article_id):
    """(status, payload): the judging and counting shared with the WSGI fast path."""
    return services.count_view(
        meta=request.META,
        host=request.get_host(),
        article_id=article_id,
        # reads the session only when there is one: readers cost no query
        is_staff=lambda: settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff,
    )


def _no_store(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # the cached article page carries no token; same-origin is checked instead
@require_POST
def record_view(request, article_id):
    """Count one view of a published article, called by ``static/js/view-counter.js``.

    Answers JSON ``{"counted": bool, "views": total, "reason": why not}``: 200 when the
    request was judged (counted, or ignored as a duplicate, bot, prefetch or staff), 404 for
    an unknown or unpublished article, 403 from another site, 405 for any method but POST,
    503 when the database failed (nothing counted).
    """
    status, payload = _count(request, article_id)
    return _no_store(JsonResponse(payload, status=status))


@require_GET
def record_view_pixel(request, article_id):
    """The no-JavaScript fallback: a 1×1 GIF in ``<noscript>`` that counts like the POST."""
    status, _payload = _count(request, article_id)
    return _no_store(HttpResponse(TRANSPARENT_GIF, content_type="image/gif", status=status))


@csrf_exempt
def bad_view_id(request, raw):
    """Anything under api/views/ that is not a whole number: 400, never a 500."""
    return _no_store(JsonResponse({"counted": False, "reason": "bad-id"}, status=400))
