"""Embeds in templates: ``{{ article.body_html|with_embeds }}`` turns each standalone provider
link that has an embed into its click-to-load facade (one query per body with links, none
without)."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from embeds.cache import embed_tag
from embeds.models import Embed
from embeds.services import LINE, embed_links, link_of
from newsroom.pagecache import note_shown

register = template.Library()


@register.filter
def with_embeds(body):
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
            "embeds/facade.html", {"embed": embed, "MEDIA_URL": settings.MEDIA_URL}
        )

    return mark_safe(LINE.sub(facade, str(body)))
