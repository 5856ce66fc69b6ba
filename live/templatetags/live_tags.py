"""Live coverage in templates: ``{% live_badge article %}`` (cards and the article's title),
``{% live_coverage article %}`` (the entries under the article), ``{% live_head article %}``
(the entries' feed link and the LiveBlogPosting JSON-LD) and ``{% live_desk article %}`` (the
panel on the article's admin page)."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.dates import format_date, local_digits
from caching import tags as tag
from caching.pagecache import note_shown
from live import cache
from live.models import LiveCoverage
from newsroom.links import absolute

register = template.Library()
JSON_LD_UPDATES = 50


@register.filter
def live_time(value):
    """«14:05» in the site's digits and time zone."""
    if not value:
        return ""
    return local_digits(timezone.localtime(value).strftime("%H:%M"))


@register.filter
def live_datetime(value):
    return format_date(value, with_time=True)


@register.filter
def live_entry_time(entry):
    """«14:05»; with its day («8 كانون الأول 2026 - 02:44») when the entry was posted on
    another day than its coverage began: past midnight, «00:49» read as earlier than «23:59»
    below it, the day only in a tooltip touch readers cannot open. (The entry's coverage is
    the one its list was read from: no query.)"""
    posted = entry.posted_at
    if timezone.localtime(entry.coverage.started_at).date() == timezone.localtime(posted).date():
        return live_time(posted)
    return live_datetime(posted)


@register.inclusion_tag("live/badge.html", takes_context=True)
def live_badge(context, article):
    """«مباشر» while the article's coverage is live (one cache read per page, no query).
    Cards and pages carry the ``article(id)`` tag, bumped when a coverage starts or ends."""
    return {"live": cache.is_live(article.pk, context.get("request"))}


def _coverage(article, request=None):
    """The article's coverage, or None (no query when it has none); looked up once for the
    page's head and main parts, which are rendered together from the same article."""
    note_shown({tag.live(article.pk)})
    if not hasattr(article, "_live_coverage"):
        article._live_coverage = None
        if article.pk in cache.coverage_states(request):
            article._live_coverage = LiveCoverage.objects.filter(article_id=article.pk).first()
    return article._live_coverage


@register.simple_tag(takes_context=True)
def live_coverage(context, article):
    """The coverage's entries under the article: pinned first, then newest first; with the
    endpoint's address and the last id, for static/js/live.js to ask for newer ones."""
    coverage = _coverage(article, context.get("request"))
    if coverage is None:
        return ""
    entries = list(coverage.entries.visible().for_reading())
    return render_to_string(
        "live/coverage.html",
        {
            "article": article,
            "coverage": coverage,
            "entries": entries,
            "last_id": max((entry.pk for entry in entries), default=0),
            "poll_ms": settings.NEWSROOM_LIVE_POLL_MS,
            "quiet_polls": settings.NEWSROOM_LIVE_QUIET_POLLS,
        },
        request=context.get("request"),
    )


def live_blog_json_ld(request, article, coverage, entries) -> dict:
    """schema.org LiveBlogPosting: coverage times and the latest entries as BlogPostings."""
    url = absolute(request, article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": url + "#live",
        "headline": article.title[:110],
        "url": url,
        "coverageStartTime": coverage.started_at,
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": entry.text[:110],
                "articleBody": entry.text,
                "datePublished": entry.posted_at,
                "dateModified": entry.edited_at or entry.posted_at,
                "url": f"{url}#entry-{entry.pk}",
                **(
                    {"author": {"@type": "Person", "name": entry.author.name}}
                    if entry.author
                    else {}
                ),
            }
            for entry in entries
        ],
    }
    if coverage.ended_at:
        data["coverageEndTime"] = coverage.ended_at
    return data


@register.inclusion_tag("live/head.html", takes_context=True)
def live_head(context, article):
    coverage = _coverage(article, context.get("request"))
    if coverage is None:
        return {"coverage": None}
    request = context["request"]
    entries = coverage.entries.visible().select_related("author").order_by("-id")
    return {
        "coverage": coverage,
        "feed_url": reverse("live:feed", args=[article.pk]),
        "feed_title": _("Live: %(title)s") % {"title": article.title},
        "json_ld": live_blog_json_ld(request, article, coverage, entries[:JSON_LD_UPDATES]),
    }


@register.simple_tag(takes_context=True)
def live_desk(context, article, place="bottom"):
    """The live panel on an article's admin page (nothing on the add page): above the
    article's form while the coverage is live (posting is then the page's main job), below it
    otherwise (to start or resume one)."""
    if article is None or not getattr(article, "pk", None):
        return ""
    if (place == "top") != cache.is_live(article.pk, context.get("request")):
        return ""
    from live.desk import desk_panel_context

    request = context["request"]
    return render_to_string(
        "live/desk_panel.html", desk_panel_context(request, article), request=request
    )
