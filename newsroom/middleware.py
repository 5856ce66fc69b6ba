"""Project middleware: structured request logs and the security headers Django lacks."""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.conf import settings

from newsroom.logging import current_request

request_logger = logging.getLogger("newsroom.requests")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestLogMiddleware:
    """Give each request an id (or keep a sane ``X-Request-ID`` from the proxy), echo it in the
    response, and log one JSON line: method, path, status, user id and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            status = response.status_code
            level = logging.ERROR if status >= 500 else logging.INFO
            request_logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request.reset(token)


def build_csp(policy: dict[str, list[str]]) -> str:
    return "; ".join(
        f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items()
    )


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every response, plus Permissions-Policy and CORP.

    Why our own few lines rather than django-csp: the site has one fixed policy (no inline
    script anywhere, so no nonces), and a view that needs a stricter one (the media view's
    ``sandbox``) sets its own header, which is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = build_csp(settings.NEWSROOM_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
