"""CSRF protection that works with cached pages (no JavaScript needed).

A cached page cannot carry a CSRF token: the token belongs to one reader's cookie, and the page
is served to thousands. So pages shown to anonymous readers carry no token
(``{% page_csrf_token %}`` renders nothing for them), and the views those forms post to are
wrapped in ``csrf_for_cached_pages``:

- a request with a session (staff, logged-in readers, who never get cached pages and whose
  forms therefore carry a real token) goes through Django's full CSRF check;
- an anonymous request without a session has no ambient authority a forged request could
  borrow, so the token is not required; it must still come from our own pages: the
  ``Origin`` header (sent by browsers on every POST), else ``Sec-Fetch-Site: same-origin``,
  else a same-host ``Referer``, must match this site or ``CSRF_TRUSTED_ORIGINS``.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware, _get_failure_view
from django.views.decorators.csrf import csrf_exempt


def _has_session(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def is_same_origin(request) -> bool:
    """The request was sent from one of our own pages."""
    allowed = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin in allowed
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    referer = urlsplit(request.headers.get("Referer", ""))
    return bool(referer.netloc) and f"{referer.scheme}://{referer.netloc}" in allowed


def csrf_for_cached_pages(view):
    """Full CSRF checks for readers with a session; an origin check for anonymous ones."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE") or getattr(
            request,
            "_dont_enforce_csrf_checks",
            False,  # Django's test client, as the middleware
        ):
            return view(request, *args, **kwargs)
        if _has_session(request):
            rejected = CsrfViewMiddleware(view).process_view(request, view, args, kwargs)
            if rejected is not None:
                return rejected
        elif not is_same_origin(request):
            # The configured failure view (comments.views.csrf_failure keeps the reader's text).
            failure_view = _get_failure_view()
            return failure_view(request, reason="Origin checking failed for an anonymous post.")
        request.csrf_processing_done = True  # checked here: a csrf_protect inside may skip
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def needs_token(request) -> bool:
    """Whether a form on this page must carry a CSRF token (false on cacheable pages)."""
    from caching.pagecache import request_is_cacheable

    return not request_is_cacheable(request) or _has_session(request)
