"""Absolute links for feeds, sitemaps, canonical URLs and shared links.

The origin is ``NEWSROOM_SITE_URL`` when set (production: ``https://example.sy``), else the
request's own scheme and host (already checked against ALLOWED_HOSTS). The Sites framework's
row (``example.com`` until someone edits it) is deliberately not used.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri


def site_origin(request) -> str:
    configured = getattr(settings, "NEWSROOM_SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    return f"{request.scheme}://{request.get_host()}"


def absolute(request, path: str) -> str:
    """``path`` (possibly with Arabic letters) as an absolute, percent-encoded URL."""
    return iri_to_uri(site_origin(request) + path)


def article_url(article, language: str = "ar") -> str:
    with translation.override(language):
        return article.get_absolute_url()


def article_languages(article) -> list[str]:
    """The languages an article really has text in: Arabic always, English when translated."""
    return ["ar", "en"] if getattr(article, "title_en", None) else ["ar"]


def short_path(article) -> str:
    """``/a/<id>`` (Arabic, the site's language) or ``/a/<id>/<language>`` for the page's
    language, so a link shared from the English page opens the English page."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE or language not in article_languages(article):
        return reverse("short_link", kwargs={"pk": article.pk})
    return reverse("short_link_in", kwargs={"pk": article.pk, "language": language})
