"""Project middleware: structured request logs and the security headers Django lacks."""

from __future__ import annotations

import base64
import hashlib
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


# Sent on every response (also by the view counter's fast path, counters/wsgi.py).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
RESOURCE_POLICY = "same-origin"


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
        response.headers.setdefault("Content-Security-Policy", self.csp_for(request, response))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", RESOURCE_POLICY)
        return response

    def csp_for(self, request, response) -> str:
        """The policy; on admin pages, plus the hash of each inline import map and inline styles.

        The admin's rich-text editor (django-prose-editor, through django-js-asset) declares
        its ES modules in a ``<script type="importmap">``. An import map is JSON, not code,
        but CSP still governs it; allowing exactly its hash keeps 'unsafe-inline' out of
        script-src. The editor and the translation tabs also set inline styles, which only
        staff pages allow; the public site keeps style-src 'self'.
        """
        if f"/{settings.NEWSROOM_ADMIN_URL}" not in request.path:
            return self.csp
        policy = {**settings.NEWSROOM_CSP}
        policy["style-src"] = [*policy.get("style-src", []), "'unsafe-inline'"]
        if (
            not getattr(response, "streaming", False)
            and "text/html" in response.get("Content-Type", "")
            and b'<script type="importmap"' in response.content
        ):
            policy["script-src"] = [
                *policy.get("script-src", []),
                *(
                    f"'sha256-{base64.b64encode(hashlib.sha256(block).digest()).decode()}'"
                    for block in _IMPORTMAP.findall(response.content)
                ),
            ]
        return build_csp(policy)


_IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)
