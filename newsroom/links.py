"""Absolute links: the site's origin for feeds, sitemaps, canonical URLs and shared links.

The origin is ``NEWSROOM_SITE_URL`` when set (production: ``https://example.sy``), else the
request's own scheme and host (already checked against ALLOWED_HOSTS). The Sites framework's
row (``example.com`` until someone edits it) is deliberately not used.
"""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language


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


def kept_reverse(viewname, args=(), kwargs=None, current_app=None) -> str:
    """``reverse()``, remembered per URLconf, script prefix and language (the address of a
    name and its arguments changes with nothing else): one reversal cost 75 µs of CPU, and a
    page reverses dozens (its slugs' links, the header's and footer's; the ``{% url %}``
    tag: newsroom/templatetags/kept_urls.py). A failed reversal is not remembered."""
    try:
        key = (tuple(args), tuple(sorted((kwargs or {}).items())))
        hash(key)
    except TypeError:  # an argument that cannot be a key: reversed as Django would
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    return _kept_reverse(
        get_urlconf(), get_script_prefix(), get_language(), viewname, *key, current_app
    )


@lru_cache(maxsize=65536)
def _kept_reverse(urlconf, prefix, language, viewname, args, kwargs, current_app) -> str:
    return reverse(
        viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


@receiver(setting_changed)
def _forget_kept_reversals(setting, **kwargs):
    """A test's URLconf, languages or script name: reverse afresh."""
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "FORCE_SCRIPT_NAME"}:
        _kept_reverse.cache_clear()
