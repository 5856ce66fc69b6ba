"""Links to share: an article's URL in a language, the languages it has, short links."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


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
