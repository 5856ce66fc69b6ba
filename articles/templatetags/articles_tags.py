from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from articles import counting, dates
from articles.cache import EVERY_PAGE

register = template.Library()


@register.filter
def arabic_date(value):
    """A date as the reader's language reads it (Levantine month names by default)."""
    return dates.format_date(value)


@register.filter
def arabic_datetime(value):
    return dates.format_date(value, with_time=True)


@register.filter
def local_digits(value):
    """Digits in the site's style (NEWSROOM_DIGITS) on Arabic pages."""
    return dates.local_digits(value)


@register.simple_tag
def view_count_label(count):
    """«7529 مشاهدة», digits per setting."""
    return _("%(count)s views") % {"count": dates.local_digits(count)}


@register.inclusion_tag("includes/picture.html")
def picture(article, sizes="(max-width: 760px) 100vw, 760px", loading="lazy"):
    """A <picture> with WebP and JPEG srcsets, width and height from the stored renditions."""
    renditions = article.image_renditions or []
    largest = renditions[-1] if renditions else None
    return {
        "article": article,
        "renditions": renditions,
        "largest": largest,
        "sizes": sizes,
        "loading": loading,
        "MEDIA_URL": settings.MEDIA_URL,
    }


@register.simple_tag
def section_nav():
    """The sections menu in the header, in the sections' editorial order: one small query
    and some fifty links rendered once per language, then kept until a section changes."""
    from django.template.loader import render_to_string
    from django.utils.translation import get_language

    from articles.models import Section
    from newsroom.fragments import cached_fragment

    def render():
        sections = list(Section.objects.only("pk", "slug", *section_name_fields()))
        html = render_to_string("includes/section_nav.html", {"sections": sections})
        return html, EVERY_PAGE

    return cached_fragment(f"section-nav:{get_language()}", render).html


def section_name_fields():
    from modeltranslation.utils import build_localized_fieldname

    return [build_localized_fieldname("name", code) for code, _name in settings.LANGUAGES]


@register.simple_tag
def most_read(section=None):
    """Most read today, this week, this month and all time: site-wide, or in one section.

    Served from the cache (one query per NEWSROOM_MOST_READ_SECONDS for all sections), and
    the rendered block too (per section and language, for as long): some 40 links with their
    URLs are worth rendering once, not on every uncached article page.
    """
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    key = f"articles:most-read-html:{section.pk if section else 'site'}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "includes/most_read.html",
            {
                "section": section,
                "periods": counting.most_read(section.pk if section is not None else None),
            },
        )
        cache.set(key, html, settings.NEWSROOM_MOST_READ_SECONDS)
    return mark_safe(html)  # rendered by our own template, autoescaped
