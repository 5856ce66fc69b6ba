"""Embeds in templates: ``{% body_with_embeds article.body_html %}`` (or the filter
``with_embeds``) turns each standalone provider link that has an embed into its click-to-load
facade, with VideoObject JSON-LD for videos (one query per body with links, none without)."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from embeds.cache import embed_tag
from embeds.models import Embed
from embeds.services import LINE, embed_links, link_of
from newsroom.links import absolute
from newsroom.pagecache import note_shown

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


def render_embeds(body, request=None):
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
