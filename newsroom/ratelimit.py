"""Rate limits where abuse is cheap: comments, search, the view counter, any form.

Two ways to apply a limit, both answering ``429 Too Many Requests`` with an Arabic page (or
JSON for API paths) and a ``Retry-After`` header:

* by URL name, with no change to the view: add ``"namespace:name": "requests/seconds"`` to
  ``settings.NEWSROOM_RATE_LIMITS`` (``RateLimitMiddleware`` reads it);
* on a view: ``@rate_limit("search", rate="30/60")`` (the rate defaults to the setting entry
  for the scope), or ``check_rate_limit(request, "scope", "5/60")`` inside a view for finer
  keys (for example only on POST).

Counters are fixed windows in the default cache, keyed by scope and client address: the file
cache (caching/backends.py, atomic across the worker processes of one machine) or Redis (across
machines). With a local-memory cache each process would count on its own. A failing cache
never blocks a reader: the request passes.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from newsroom.client import client_key

logger = logging.getLogger("newsroom.ratelimit")


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/60"`` → (5 requests, 60 seconds). Also ``"5/m"``, ``"100/h"``, ``"1000/d"``."""
    count, _sep, period = rate.partition("/")
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    seconds = units[period] if period in units else int(period)
    return int(count), seconds


def check_rate_limit(request, scope: str, rate: str) -> int | None:
    """Count this request; return the seconds to wait if it is over the limit, else None."""
    if not getattr(settings, "NEWSROOM_RATE_LIMIT_ENABLED", True):
        return None
    limit, period = parse_rate(rate)
    now = int(time.time())
    window = now // period
    client = hashlib.sha256(client_key(request).encode()).hexdigest()[:16]
    key = f"ratelimit:{scope}:{client}:{window}"
    try:
        cache.add(key, 0, timeout=period + 1)
        count = cache.incr(key)
    except Exception:  # the cache is down or evicted the key: let the request through
        logger.warning("rate-limit cache unavailable", exc_info=True)
        return None
    if count > limit:
        return max(1, (window + 1) * period - now)
    return None


def too_many_requests(request, retry_after: int, scope: str = "") -> HttpResponse:
    """The 429 answer: Arabic (or the page's language) for people, JSON for API clients."""
    message = _("Too many requests. Please wait a moment and try again.")
    logger.warning("rate limited", extra={"scope": scope, "status_code": 429})
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse(
            {"error": message, "retry_after": retry_after},
            status=429,
            json_dumps_params={"ensure_ascii": False},  # like every other answer of the API
        )
    else:
        response = HttpResponse(
            render_to_string("429.html", {"message": message, "retry_after": retry_after}),
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limit(scope: str, rate: str | None = None, methods: tuple[str, ...] = ("POST",)):
    """Decorate a view: at most ``rate`` (default ``NEWSROOM_RATE_LIMITS[scope]``) per client.

    Only requests with one of ``methods`` count (pass ``methods=("GET", "POST")`` for search).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            effective = rate or settings.NEWSROOM_RATE_LIMITS.get(scope)
            if effective and request.method in methods:
                wait = check_rate_limit(request, scope, effective)
                if wait is not None:
                    return too_many_requests(request, wait, scope)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RateLimitMiddleware:
    """Apply ``settings.NEWSROOM_RATE_LIMITS`` to the views with those URL names.

    Every request to a listed URL counts, whatever its method (a search is a GET, a comment a
    POST). Names that no URL has are ignored, so the setting can list endpoints before they
    exist.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or request.method == "OPTIONS":
            return None
        name = match.view_name
        rate = settings.NEWSROOM_RATE_LIMITS.get(name)
        if not rate:
            return None
        wait = check_rate_limit(request, name, rate)
        if wait is not None:
            return too_many_requests(request, wait, name)
        return None
