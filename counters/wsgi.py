"""The view counter's WSGI fast path: readers' views answered without Django's request cycle.

``newsroom/wsgi.py`` wraps Django's WSGI application in ``ViewCounterApp``. A request that
is exactly a reader's view — ``POST /api/views/<id>/`` or ``GET /api/views/<id>/pixel.gif``,
no session cookie, a valid Host, and no HTTPS redirect due — is judged and counted here with
the functions the Django views use (``view_services.count_view``: bots, link previews,
prefetch, other sites, unknown and unpublished articles, the dedup window), and answered
with the headers the middleware would add. Everything else goes to Django unchanged: other
paths, malformed ids (400), wrong methods and HEAD (405), requests with a session cookie (a
logged-in user, maybe staff previewing: only Django knows), a Host Django would refuse.

Why: the view is one prepared SQL statement (0.4 ms of PostgreSQL), but the 15 middleware,
the URL resolver, request and response objects and the per-request ``SELECT 1`` health check
cost ~1 ms of Python per view. See counters/README.md for the measured difference.

What Django's cycle did that is done here on purpose:

* Rate limit: a fixed window per client address kept in this process's memory (the
  ``record_view`` rate of ``NEWSROOM_RATE_LIMITS``), not in the shared cache: one file
  read and write per view was the biggest single cost. With W worker processes a client can
  get up to W times the rate; the dedup window still counts a reader once per window.
* The request log: the same ``newsroom.requests`` JSON line (method, path, status, timing,
  request id) for every answer but a 200, and for one 200 in ``NEWSROOM_VIEW_LOG_SAMPLE``
  (100; the line says ``"sampled": 100``). Every counted view is in the database anyway.
* Group commit: views arriving together in one (threaded) worker are recorded by one
  statement (``view_services.ViewBatcher``); each is answered once it is committed.
* The database connection: no request_started/finished signals, so no health check before
  each view. After an error the connection is checked (and dropped if broken), and it is
  closed once older than ``CONN_MAX_AGE``, as Django does; a view that finds its
  connection broken reconnects and tries once more (``count_view``).
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
import uuid
from email.utils import formatdate

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.http.cookie import parse_cookie
from django.utils import translation
from django.utils.translation import gettext

from counters import services
from counters.views import TRANSPARENT_GIF
from newsroom.client import client_key, observe
from newsroom.logging import current_request
from newsroom.middleware import PERMISSIONS_POLICY, RESOURCE_POLICY, build_csp
from newsroom.ratelimit import parse_rate

request_logger = logging.getLogger("newsroom.requests")
logger = logging.getLogger(__name__)

# The urlconf's "api/views/<int:article_id>/" and ".../pixel.gif" (outside i18n_patterns).
# Longer ids are Django's (int() refuses over 4300 digits: Django's 400, never our 500).
VIEW_PATH = re.compile(r"/api/views/([0-9]{1,30})/(pixel\.gif)?")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
STATUS_LINES = {
    200: "200 OK",
    403: "403 Forbidden",
    404: "404 Not Found",
    429: "429 Too Many Requests",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}
RATE_SCOPE = "record_view"


class _Window:
    """Requests per client address in the current fixed window, in this process only."""

    def __init__(self):
        self.lock = threading.Lock()
        self.window = None
        self.counts: dict[str, int] = {}

    def wait(self, address: str, rate: str) -> int | None:
        """Count this request; the seconds to wait if over the limit, else None."""
        limit, period = parse_rate(rate)
        now = int(time.time())
        window = (period, now // period)
        with self.lock:
            if window != self.window:  # a new window: forget the last one (bounded memory)
                self.window = window
                self.counts = {}
            count = self.counts.get(address, 0) + 1
            self.counts[address] = count
        if count > limit:
            return max(1, (window[1] + 1) * period - now)
        return None


class _Context:
    """What ``newsroom.logging.RequestContextFilter`` reads from the request being handled."""

    __slots__ = ("method", "path", "request_id")

    def __init__(self, request_id, method, path):
        self.request_id, self.method, self.path = request_id, method, path


class ViewCounterApp:
    """WSGI middleware: readers' views answered here, everything else by ``django_app``."""

    def __init__(self, django_app):
        self.django_app = django_app
        self.rate_window = _Window()
        self.batcher = services.ViewBatcher()  # group commit across this process's threads

    def __call__(self, environ, start_response):
        request = self.fast_request(environ)
        if request is None:
            return self.django_app(environ, start_response)
        return self.answer(request, environ, start_response)

    def fast_request(self, environ) -> WSGIRequest | None:
        """The request if it is a reader's view this path answers, else None (Django's)."""
        match = VIEW_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None:
            return None
        method = environ.get("REQUEST_METHOD")
        if method != ("GET" if match[2] else "POST"):
            return None  # 405 with its Allow header, from the Django view
        cookies = environ.get("HTTP_COOKIE")
        if cookies and settings.SESSION_COOKIE_NAME in parse_cookie(cookies):
            return None  # logged in, maybe staff: Django reads the session
        request = WSGIRequest(environ)
        try:
            request.host = request.get_host()  # validated against ALLOWED_HOSTS
        except DisallowedHost:  # Django answers 400 and logs it
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None  # SecurityMiddleware redirects
        request.article_id = int(match[1])
        request.pixel = bool(match[2])
        return request

    def answer(self, request, environ, start_response):
        started = time.perf_counter()
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = current_request.set(_Context(request_id, request.method, request.path))
        observe(environ)  # the misconfigured-proxy watch sees the views too (no middleware here)
        try:
            status, payload, extra = self.judge(request)
        except Exception:  # a bug, not bad input: logged with the request id, like Django's 500
            logger.exception("View counter fast path failed")
            status, payload, extra = 500, {"counted": False, "reason": "error"}, []
        finally:
            self.finish_db()
        try:
            if request.pixel:
                body, content_type = TRANSPARENT_GIF, "image/gif"
            else:
                body, content_type = json.dumps(payload).encode(), "application/json"
            headers = [
                ("Content-Type", content_type),
                ("Content-Length", str(len(body))),
                *extra,
                *self.headers(request),
                ("X-Request-ID", request_id),
            ]
            start_response(STATUS_LINES[status], headers)
            sample = settings.NEWSROOM_VIEW_LOG_SAMPLE
            if status != 200 or sample == 1 or random.random() * sample < 1:
                fields = {
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                }
                if status == 200 and sample > 1:
                    fields["sampled"] = sample  # this line stands for about N answers
                request_logger.log(
                    logging.ERROR if status >= 500 else logging.INFO,
                    "%s %s %s",
                    request.method,
                    request.path,
                    status,
                    extra=fields,
                )
            return [body]
        finally:
            current_request.reset(token)

    def judge(self, request) -> tuple[int, dict, list]:
        rate = settings.NEWSROOM_RATE_LIMITS.get(RATE_SCOPE)
        if rate and settings.NEWSROOM_RATE_LIMIT_ENABLED:
            wait = self.rate_window.wait(client_key(request), rate)
            if wait is not None:
                with translation.override(settings.LANGUAGE_CODE):
                    message = gettext("Too many requests. Please wait a moment and try again.")
                payload = {"error": message, "retry_after": wait}
                return 429, payload, [("Retry-After", str(wait))]
        status, payload = services.count_view(
            meta=request.META,
            host=request.host,
            article_id=request.article_id,
            record=self.batcher.record,
        )
        return status, payload, []

    @staticmethod
    def finish_db() -> None:
        """Django's end-of-request connection care, minus the next request's health check."""
        if connection.connection is None or connection.in_atomic_block:
            return  # (an atomic block only in tests: their transaction is not ours to close)
        if (
            connection.errors_occurred
            or not connection.get_autocommit()
            or (connection.close_at is not None and time.monotonic() >= connection.close_at)
        ):
            connection.close_if_unusable_or_obsolete()

    @staticmethod
    def headers(request) -> list[tuple[str, str]]:
        """What add_never_cache_headers and the security middleware put on the Django answer."""
        now = int(time.time())
        if _expires[0] != now:
            _expires[:] = [now, formatdate(now, usegmt=True)]
        secure = request.is_secure()
        static = _static_headers.get(secure)
        if static is None:
            static = _static_headers[secure] = _security_headers(secure)
        return [("Expires", _expires[1]), *static]


_expires = [0, ""]  # (second, its HTTP date): formatted once a second
_static_headers: dict[bool, list[tuple[str, str]]] = {}  # by is_secure, until settings change


@receiver(setting_changed)
def _forget_headers(**kwargs):
    _static_headers.clear()


def _security_headers(secure: bool) -> list[tuple[str, str]]:
    headers = [
        ("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private"),
        ("X-Robots-Tag", "noindex"),
        ("X-Frame-Options", settings.X_FRAME_OPTIONS),
        ("Content-Security-Policy", build_csp(settings.NEWSROOM_CSP)),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("Cross-Origin-Resource-Policy", RESOURCE_POLICY),
    ]
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if coop := settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", coop))
    if settings.SECURE_HSTS_SECONDS and secure:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append(("Strict-Transport-Security", hsts))
    return headers
