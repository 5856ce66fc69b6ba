"""Link metadata for an article page: canonical, hreflang, OpenGraph, Twitter, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from discovery import cards
from discovery.links import article_languages, article_url, short_path
from newsroom.links import absolute, site_origin

register = template.Library()

OG_LOCALES = {"ar": "ar_AR", "en": "en_US"}
# As django.utils.html.json_script: "</script>" or "<!--" in a title cannot end the block.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """``<script type="application/ld+json">`` (data, never executed), HTML-safe JSON inside."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),
    )


def image_data(request, article):
    """The image shared links show: the article's image for them, else its lead image, else
    its share card (an article without a photo); its description in the page's language
    (og:image:alt beside og:locale), the title where the image has none in it."""
    social = article.social_image if article.social_image_id else None
    language = get_language() or settings.LANGUAGE_CODE
    if social is not None and social.renditions:
        rendition = social.renditions[-1]
        alt = getattr(social, f"alt_text_{language}", None) or article.title
    else:
        rendition = article.share_rendition
        alt = article.image_alt_in_page_language
    if not rendition:
        if cards.unavailable_reason():
            return None
        text = cards.card_text(article, get_language())  # the page's language, if it has it
        digest = cards.card_digest(text)
        return {
            "url": absolute(request, cards.card_path(article.pk, text["language"], digest)),
            "width": cards.WIDTH,
            "height": cards.HEIGHT,
            "alt": article.title,
        }
    return {
        "url": absolute(request, settings.MEDIA_URL + rendition["jpg"]),
        "width": rendition["width"],
        "height": rendition["height"],
        "alt": alt,
    }


def news_article_json_ld(request, article, canonical, image, language):
    """schema.org NewsArticle: authors as Person, or Organization for an editorial team."""
    origin = site_origin(request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.head_title[:110],
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "inLanguage": language,
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
        "articleSection": article.section.name,
        "author": [
            {
                "@type": "Organization" if author.is_team else "Person",
                "name": author.name,
                "url": absolute(request, author.get_absolute_url()),
            }
            for author in article.ordered_authors
        ]
        # no byline: the outlet itself (Google flags an empty author)
        or [{"@type": "Organization", "name": settings.SITE_NAME, "url": origin + "/"}],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.SITE_NAME,
            "url": origin + "/",
        },
    }
    topics = list(article.topics.all())
    if topics:
        data["keywords"] = [topic.name for topic in topics]
        data["about"] = [
            {
                "@type": "Thing",
                "name": topic.name,
                "url": absolute(request, topic.get_absolute_url()),
            }
            for topic in topics
        ]
    if article.head_description:
        data["description"] = article.head_description
    if image:
        data["image"] = [image["url"]]
    return data


@register.inclusion_tag("includes/article_link_meta.html", takes_context=True)
def article_link_meta(context, article):
    request = context["request"]
    languages = article_languages(article)
    language = get_language()
    canonical_language = language if language in languages else settings.LANGUAGE_CODE
    canonical = article.canonical_url or absolute(request, article_url(article, canonical_language))
    image = image_data(request, article)
    return {
        "article": article,
        "canonical": canonical,
        # hreflang names this site's own editions of the page; an article whose canonical is
        # another site's (a syndicated story) has none of its own to name.
        "alternates": []
        if article.canonical_url
        else [(code, absolute(request, article_url(article, code))) for code in languages],
        "x_default": ""
        if article.canonical_url
        else absolute(request, article_url(article, settings.LANGUAGE_CODE)),
        "og_locale": OG_LOCALES.get(canonical_language, "ar_AR"),
        "og_locale_alternates": [OG_LOCALES[c] for c in languages if c != canonical_language],
        "image": image,
        "json_ld": news_article_json_ld(request, article, canonical, image, canonical_language),
        "SITE_NAME": settings.SITE_NAME,
    }


@register.simple_tag(takes_context=True)
def short_url(context, article):
    """The article's absolute ``/a/<id>`` link."""
    return absolute(context["request"], short_path(article))


@register.simple_tag(takes_context=True)
def feed_url(context, name, **kwargs):
    return absolute(context["request"], reverse(name, kwargs=kwargs or None))


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context, title, description="", fallback=""):
    """A listing or static page's description, canonical address and shared-link tags:
    ``description`` (its own text, tags stripped) or else ``fallback``, at most 300
    characters."""
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    request = context["request"]
    text = " ".join(strip_tags(str(description or "")).split()) or str(fallback or "")
    page = request.GET.get("page", "")
    query = f"?page={page}" if page.isdigit() and page != "1" else ""
    path = request.path + query
    # The page in each language (as the sitemaps list it), the site's language the default.
    # The site's addresses differ between languages by their prefix only (no translated
    # patterns), so each edition is the same path under its prefix: no resolve and reverse
    # (0.12 ms a render with translate_url, on pages whose uncached renders #33 counts).
    prefix = f"/{get_language()}/"
    alternates = (
        [
            (code, absolute(request, f"/{code}/{request.path[len(prefix) :]}{query}"))
            for code, _name in settings.LANGUAGES
        ]
        if request.path.startswith(prefix)
        else []
    )
    return {
        "title": title,
        "description": Truncator(text).chars(300),
        "canonical": absolute(request, path),
        "alternates": alternates,
        "x_default": dict(alternates).get(settings.LANGUAGE_CODE, ""),
        "og_locale": OG_LOCALES.get(get_language(), "ar_AR"),
        "SITE_NAME": settings.SITE_NAME,
    }
