"""The breaking-news ticker for the public pages, and the editors' dashboard for the desk."""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from caching import tags as tag

register = template.Library()


@register.simple_tag
def breaking_ticker():
    """«عاجل»: the breaking articles of the last NEWSROOM_BREAKING_HOURS, kept as a fragment
    until one of them changes (one small indexed query on a cold render, none after)."""
    from caching.fragments import cached_fragment, note_expires_at
    from desk import cache

    cache.expire_if_due()

    def render():
        articles, deadline = cache.ticker_articles()
        cache.remember_deadline(deadline)
        note_expires_at(deadline)  # a page kept whole around the ticker ends with it too
        return render_to_string("desk/ticker.html", {"articles": articles}), {tag.breaking()}

    return cached_fragment(f"breaking-ticker:{get_language()}", render, redraw=(REDRAW, ())).html


REDRAW = "breaking-ticker"  # a kept answer's hit renders only the ticker again


@register.simple_tag(takes_context=True)
def desk_dashboard(context):
    """The editors' dashboard on the admin index (for those who may edit articles)."""
    from desk.dashboard import dashboard_context

    request = context.get("request")
    if request is None or not request.user.has_perm("articles.change_article"):
        return ""
    return render_to_string("desk/dashboard.html", dashboard_context(), request=request)
