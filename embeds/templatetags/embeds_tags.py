"""Embeds in templates: ``{% body_with_embeds article.body_html %}`` (or the filter
``with_embeds``) turns each standalone provider link that has an embed into its click-to-load
facade, with VideoObject JSON-LD for videos, and each ``[gallery <id>]`` paragraph into the
gallery (with ImageGallery JSON-LD); ``{% lead_gallery article %}`` is the gallery shown as
the article's lead. No query for a body without links or galleries."""

from django import template
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.text import bare_credit
from caching.pagecache import note_shown
from embeds.cache import embed_tag, gallery_tag, lead_gallery_articles
from embeds.models import Embed, Gallery
from embeds.services import GALLERY_LINE, LINE, embed_links, link_of
from newsroom.links import absolute

register = template.Library()


def video_object(embed, request) -> dict | None:
    """schema.org VideoObject for a playable video embed (the player's address as embedUrl)."""
    if request is None or embed.kind != Embed.Kind.VIDEO or not embed.playable:
        return None
    data = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": embed.title,
        "url": embed.url,
        "embedUrl": embed.player_url,
    }
    if embed.author_name:
        data["author"] = {"@type": "Person", "name": embed.author_name}
    if embed.thumbnail and embed.thumbnail.renditions:
        rendition = embed.thumbnail.renditions[-1]["jpg"]
        data["thumbnailUrl"] = absolute(request, settings.MEDIA_URL + rendition)
    if embed.fetched_at:
        data["uploadDate"] = embed.fetched_at.date().isoformat()
    return data


def image_gallery(gallery, request) -> dict | None:
    """schema.org ImageGallery: the gallery's photos with their captions and credits."""
    if request is None:
        return None
    images = []
    for item in gallery.items.all():
        if not item.image.renditions:
            continue
        largest = item.image.renditions[-1]
        image = {
            "@type": "ImageObject",
            "contentUrl": absolute(request, settings.MEDIA_URL + largest["jpg"]),
            "width": largest["width"],
            "height": largest["height"],
            "description": item.alt_text,
        }
        if item.caption:
            image["caption"] = item.caption
        if item.credit:
            image["creditText"] = bare_credit(item.credit)
        images.append(image)
    return {
        "@context": "https://schema.org",
        "@type": "ImageGallery",
        "name": gallery.title,
        "image": images,
    }


def render_gallery(gallery, request=None, lead=False) -> str:
    note_shown({gallery_tag(gallery.pk)})
    return render_to_string(
        "embeds/gallery.html",
        {
            "gallery": gallery,
            "lead": lead,
            "MEDIA_URL": settings.MEDIA_URL,
            "image_gallery": image_gallery(gallery, request),
        },
    )


def galleries(queryset):
    return queryset.prefetch_related("items__image")


def render_galleries(body, request=None):
    ids = [int(match.group("id")) for match in GALLERY_LINE.finditer(str(body))]
    if not ids:
        return body
    found = {gallery.pk: gallery for gallery in galleries(Gallery.objects.filter(pk__in=ids))}
    note_shown({gallery_tag(pk) for pk in ids})

    def replace(match):
        gallery = found.get(int(match.group("id")))
        # A gallery without photos yet (an import waiting for its files) shows nothing.
        return render_gallery(gallery, request) if gallery and gallery.items.all() else ""

    return mark_safe(GALLERY_LINE.sub(replace, str(body)))


def render_embeds(body, request=None):
    body = render_galleries(body, request)
    links = embed_links(str(body))
    if not links:
        return body
    found = {
        embed.url: embed
        for embed in Embed.objects.filter(url__in=links).select_related("thumbnail")
    }
    note_shown({embed_tag(embed.pk) for embed in found.values()})

    def facade(match):
        embed = found.get(link_of(match) or "")
        if embed is None:
            return match.group(0)
        return render_to_string(
            "embeds/facade.html",
            {
                "embed": embed,
                "MEDIA_URL": settings.MEDIA_URL,
                "video_object": video_object(embed, request),
            },
        )

    return mark_safe(LINE.sub(facade, str(body)))


@register.filter
def with_embeds(body):
    return render_embeds(body)


@register.simple_tag(takes_context=True)
def body_with_embeds(context, body):
    return render_embeds(body, context.get("request"))


@register.simple_tag(takes_context=True)
def lead_gallery(context, article):
    """The gallery shown as the article's lead, or "" (no query for an article without one:
    the article page joins it, Article.objects.for_reading; elsewhere a cached set of ids)."""
    descriptor = type(article).lead_gallery
    if descriptor.is_cached(article):
        gallery = article._state.fields_cache["lead_gallery"]
        if gallery is None:
            return ""
        prefetch_related_objects([gallery], "items__image")
    else:
        if article.pk not in lead_gallery_articles():
            return ""
        gallery = galleries(Gallery.objects.filter(lead_of=article)).first()
    if gallery is None:
        return ""
    return mark_safe(render_gallery(gallery, context.get("request"), lead=True))
