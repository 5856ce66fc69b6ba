"""The view counter's blocks in templates: ``{% most_read %}``."""

from django import template
from django.conf import settings

from articles.templatetags.articles_tags import section_name_fields
from caching import tags as tag
from counters.most_read import most_read as most_read_lists

register = template.Library()


@register.simple_tag
def most_read(section=None):
    """Most read today, this week, this month and all time: site-wide, or in one section
    (a Section or its id).

    The ranking comes from the cache (one query per NEWSROOM_MOST_READ_SECONDS for all
    sections) and the rendered block is kept as a fragment for as long, per section and
    language: some 40 links are worth rendering once, not on every page. Publishing, editing
    or unpublishing an article it lists refreshes both at once (counters/cache.py).
    """
    import time

    from django.template.loader import render_to_string
    from django.utils.translation import get_language

    from articles.compiled import STAND_IN, compiled
    from articles.models import Section
    from caching.fragments import cached_fragment

    def one_section(pk):
        return Section.objects.only("pk", *section_name_fields()).filter(pk=pk).order_by()

    section_id = section.pk if isinstance(section, Section) else section

    def render():
        periods = most_read_lists(section_id)
        shown = section
        if periods and section_id is not None and not isinstance(section, Section):
            shown = compiled("most-read-section", None, Section, one_section, pk=STAND_IN)
            shown = shown.instances(pk=section_id)[0]
        html = render_to_string("includes/most_read.html", {"section": shown, "periods": periods})
        return html, {tag.most_read(section_id), *([tag.section(section_id)] if section_id else [])}

    return cached_fragment(
        f"most-read:{section_id or 'site'}:{get_language()}",
        render,
        expires_at=time.time() + settings.NEWSROOM_MOST_READ_SECONDS,
        redraw=(REDRAW, (section_id,)),  # a kept answer's hit renders only this again
    ).html


REDRAW = "most-read"
