"""Absolute links: the site's origin for feeds, sitemaps, canonical URLs and shared links.

The origin is ``NEWSROOM_SITE_URL`` when set (production: ``https://example.sy``), else the
request's own scheme and host (already checked against ALLOWED_HOSTS). The Sites framework's
row (``example.com`` until someone edits it) is deliberately not used.
"""

from django.conf import settings
from django.utils.encoding import iri_to_uri


def site_origin(request) -> str:
    configured = getattr(settings, "NEWSROOM_SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    origin = getattr(request, "_site_origin", None)
    if origin is None:  # once per request: a page or an API answer builds dozens of links
        origin = request._site_origin = f"{request.scheme}://{request.get_host()}"
    return origin


def absolute(request, path: str) -> str:
    """``path`` (possibly with Arabic letters) as an absolute, percent-encoded URL."""
    return iri_to_uri(site_origin(request) + path)
