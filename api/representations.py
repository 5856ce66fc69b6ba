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
from articles.text import bare_credit
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
        "credit": bare_credit(article.image_credit),
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


def renditions_data(request, renditions) -> list[dict]:
    return [
        {
            "width": rendition["width"],
            "height": rendition["height"],
            "webp": media_url(request, rendition["webp"]),
            "jpeg": media_url(request, rendition["jpg"]),
        }
        for rendition in renditions or []
    ]


def embed_data(request, embed) -> dict:
    """An embed as the page's facade has it: never the provider's HTML; the player's address
    only when the provider gave one (else a link card)."""
    thumbnail = embed.thumbnail
    return {
        "url": embed.url,
        "provider": embed.provider,
        "kind": embed.kind,
        "status": embed.status,
        "title": embed.title,
        "author_name": embed.author_name,
        "player_url": embed.player_url or None,
        "thumbnail": renditions_data(request, thumbnail.renditions) if thumbnail else [],
    }


def gallery_data(request, gallery) -> dict:
    return {
        "id": gallery.pk,
        "title": gallery.title,
        "images": [
            {
                "alt": item.alt_text,
                "caption": item.caption,
                "credit": bare_credit(item.credit),
                "focal_point": {"x": item.image.focal_x, "y": item.image.focal_y},
                "renditions": renditions_data(request, item.image.renditions),
            }
            for item in gallery.items.all()
        ],
    }


def article_detail(request, article, corrections, topics, media=None) -> dict:
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
    if media is not None:
        data["embeds"] = [embed_data(request, embed) for embed in media["embeds"]]
        data["galleries"] = [gallery_data(request, gallery) for gallery in media["galleries"]]
        lead = media["lead_gallery"]
        data["lead_gallery"] = gallery_data(request, lead) if lead else None
    return data


def topic_data(request, topic) -> dict:
    data = topic_ref(request, topic)
    data["description"] = topic.description
    return data


def story_file_data(request, story_file, articles=None) -> dict:
    data = {
        "id": story_file.pk,
        "slug": story_file.slug,
        "title": story_file.title,
        "description": story_file.description,
        "url": absolute(request, story_file.get_absolute_url()),
    }
    if articles is not None:  # in the editors' order
        data["articles"] = [article_card(request, article) for article in articles]
    return data


def live_entry_data(request, entry) -> dict:
    """One entry of a live coverage: its sanitised text, time, flags, author and image."""
    renditions = [
        {
            "width": rendition["width"],
            "height": rendition["height"],
            "webp": media_url(request, rendition["webp"]),
            "jpeg": media_url(request, rendition["jpg"]),
        }
        for rendition in entry.image_renditions or []
    ]
    return {
        "id": entry.pk,
        "posted_at": entry.posted_at,
        "edited_at": entry.edited_at,
        "body_html": sanitize_html(entry.body),
        "is_breaking": entry.is_breaking,
        "is_pinned": entry.is_pinned,
        "author": author_ref(request, entry.author) if entry.author else None,
        "image": (
            {
                "alt": entry.image_alt,
                "credit": bare_credit(entry.image_credit),
                "renditions": renditions,
            }
            if renditions
            else None
        ),
    }
