"""What the API shows of each object: plain dictionaries, built by hand.

Only public fields, named here one by one: a field added to a model never reaches the API by
itself, and internal ones (status, embargo, pinning, who created what, search vectors, raw
counters) are simply never listed. Texts are in the active language, with the Arabic
fallback the site uses (modeltranslation).
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import get_language

from articles.html import sanitize_html
from discovery.links import short_path
from newsroom.links import absolute


def moment(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def media_url(request, name: str) -> str:
    url = default_storage.url(name)
    return url if url.startswith(("http://", "https://")) else absolute(request, url)


def section_data(request, section) -> dict:
    return {
        "id": section.pk,
        "slug": section.slug,
        "name": section.name,
        "description": section.description,
        "url": absolute(request, section.get_absolute_url()),
    }


def section_ref(request, section) -> dict:
    return {
        "id": section.pk,
        "slug": section.slug,
        "name": section.name,
        "url": absolute(request, section.get_absolute_url()),
    }


def author_ref(request, author) -> dict:
    return {
        "id": author.pk,
        "slug": author.slug,
        "name": author.name,
        "kind": author.kind,
        "url": absolute(request, author.get_absolute_url()),
    }


def author_data(request, author) -> dict:
    data = author_ref(request, author)
    data["bio"] = author.bio
    data["photo"] = media_url(request, author.photo.name) if author.photo else None
    return data


def image_data(request, article) -> dict | None:
    """The lead image's renditions (WebP and JPEG at each width, EXIF-free) and its credits."""
    if not article.image_renditions:
        return None
    return {
        "alt": article.image_alt,
        "caption": article.image_caption,
        "credit": article.image_credit,
        "renditions": [
            {
                "width": rendition["width"],
                "height": rendition["height"],
                "webp": media_url(request, rendition["webp"]),
                "jpeg": media_url(request, rendition["jpg"]),
            }
            for rendition in article.image_renditions
        ],
    }


def content_language(article) -> str:
    """The language the texts are really in: English only when the article is translated."""
    language = get_language() or "ar"
    return "en" if language.startswith("en") and getattr(article, "title_en", None) else "ar"


def article_card(request, article) -> dict:
    return {
        "id": article.pk,
        "slug": article.slug,
        "url": absolute(request, article.get_absolute_url()),
        "language": content_language(article),
        "title": article.title,
        "lead": article.lead,
        "section": section_ref(request, article.section),
        "bylines": [author_ref(request, author) for author in article.ordered_authors],
        "published_at": moment(article.published_at),
        "updated_at": moment(article.updated_at),
        "is_breaking": article.is_breaking,
        "image": image_data(request, article),
    }


def topic_ref(request, topic) -> dict:
    return {
        "id": topic.pk,
        "slug": topic.slug,
        "name": topic.name,
        "url": absolute(request, topic.get_absolute_url()),
    }


def article_detail(request, article, corrections, topics) -> dict:
    data = article_card(request, article)
    data["topics"] = [topic_ref(request, topic) for topic in topics]
    data["short_url"] = absolute(request, short_path(article))  # /a/<id>: never changes
    data["source"] = article.source
    # Stored sanitised (articles/html.py on every save); cleaned again here, so rows written
    # around save() (raw SQL, old imports) reach apps no less clean than the page shows them.
    data["body_html"] = sanitize_html(article.body or "")
    data["corrections"] = [
        {
            "id": correction.pk,
            "kind": correction.kind,
            "text": correction.text,
            "created_at": moment(correction.created_at),
        }
        for correction in corrections
    ]
    return data
