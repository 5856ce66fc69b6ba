"""Every old address in one lookup: on a 404 (and on the archive's old prefixes), one indexed
query asks the desk's redirects, the slug history and the archive's imported paths at once;
pages that exist cost nothing.

Replaces ``archive.middleware.LegacyRedirectMiddleware`` in MIDDLEWARE (it keeps that
middleware's rules of when to look) and answers what it answered, plus the rest.
"""

import re
from datetime import date

from django.conf import settings
from django.db.models import Case, CharField, F, IntegerField, Value, When
from django.db.models.functions import Coalesce, Now
from django.http import HttpResponseGone, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

from archive.middleware import LegacyRedirectMiddleware
from archive.models import LegacyPath
from archive.paths import key_for_request
from redirects.kinds import PAGE_URL_NAMES, slug_address
from redirects.models import Redirect, SlugHistory

# WordPress's date archives: /2017/, /2017/04/, /2017/04/27/ (the key has no trailing slash).
DATE_PATH = re.compile(r"^/(\d{4})(?:/(\d{1,2})(?:/(\d{1,2}))?)?$")
DATE_URL_NAMES = ("articles:archive_year", "articles:archive_month", "articles:archive_day")

COLUMNS = ("r_priority", "r_kind", "r_slug", "r_url", "r_status", "r_id")
TEXT = CharField()


def _columns(priority, kind, slug, url, status, pk):
    return {
        "r_priority": Value(priority, output_field=IntegerField()),
        "r_kind": kind,
        "r_slug": slug,
        "r_url": url,
        "r_status": status,
        "r_id": pk,
    }


def _kind_case(*fields):
    return Case(
        *(When(**{f"{field}__isnull": False}, then=Value(kind)) for field, kind in fields),
        default=Value(""),
        output_field=TEXT,
    )


def manual(key):
    return Redirect.objects.filter(old_path=key).annotate(
        **_columns(
            0,
            _kind_case(("article", "article"), ("page", "page")),
            Coalesce("article__slug", "page__slug", Value(""), output_field=TEXT),
            F("url"),
            F("status"),
            F("pk"),
        )
    )


def history(kind, slug):
    return SlugHistory.objects.filter(kind=kind, old_slug=slug).annotate(
        **_columns(
            1,
            F("kind"),
            F("current_slug"),
            Value("", output_field=TEXT),
            Value(301, output_field=IntegerField()),
            Value(0, output_field=IntegerField()),
        )
    )


def legacy(key):
    fields = (
        ("article", "article"),
        ("section", "section"),
        ("author", "author"),
        ("topic", "topic"),
    )
    return LegacyPath.objects.filter(path=key).annotate(
        **_columns(
            2,
            _kind_case(*fields),
            Coalesce(*(f"{field}__slug" for field, _ in fields), Value(""), output_field=TEXT),
            Value("", output_field=TEXT),
            Value(301, output_field=IntegerField()),
            Value(0, output_field=IntegerField()),
        )
    )


def date_archive(key: str, language: str):
    """A WordPress date address answered with our date archive, no query needed."""
    match = DATE_PATH.match(key)
    if not match:
        return None
    parts = [int(part) for part in match.groups() if part]
    try:
        date(*[*parts, 1, 1][:3])
    except ValueError:
        return None
    if not 1900 <= parts[0] <= 2200:
        return None
    with translation.override(language):
        location = reverse(DATE_URL_NAMES[len(parts) - 1], args=parts)
    response = HttpResponsePermanentRedirect(location)
    edge_cacheable(response)
    return response


def edge_cacheable(response):
    """Browsers ask again every time (an address may change hands again); the shared cache in
    front keeps the answer as briefly as it keeps pages. It must be able to keep it: a
    redirect it may not store would leave the renamed page's stale copy served instead."""
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        must_revalidate=True,
        s_maxage=settings.NEWSROOM_EDGE_CACHE_SECONDS,
    )


class OldAddressMiddleware(LegacyRedirectMiddleware):
    def redirect_for(self, request):
        key = key_for_request(request)
        if not key or len(key) > 500 or "\x00" in key:  # PostgreSQL text holds no NUL
            return None
        language = translation.get_language_from_path(
            request.path_info
        ) or translation.get_language_from_request(request)
        dated = date_archive(key, language)
        if dated:
            return dated
        address = slug_address(request.path_info, language)
        queries = [manual(key), legacy(key)]
        if address:
            queries.append(history(address[0], address[1]))
        combined = (
            queries[0]
            .values_list(*COLUMNS)
            .union(*(query.values_list(*COLUMNS) for query in queries[1:]), all=True)
        )
        row = combined.order_by("r_priority").first()
        if row is None:
            return None
        priority, kind, slug, url, status, pk = row
        if pk:
            Redirect.objects.filter(pk=pk).update(hits=F("hits") + 1, last_hit=Now())
        response = self.answer(request, language, priority, kind, slug, url, status, address)
        if response is not None:
            edge_cacheable(response)
        return response

    def answer(self, request, language, priority, kind, slug, url, status, address):
        if priority == 1 and not slug:  # the object was deleted
            status = Redirect.Status.GONE
        with translation.override(language):
            if status == Redirect.Status.GONE:
                return HttpResponseGone(render_to_string("410.html", request=request))
            try:
                if priority == 1:  # same URL name (a page or its feed), today's slug
                    _kind, _old, name, kwargs = address
                    location = reverse(name, kwargs={**kwargs, "slug": slug})
                    # the same page of it: «?page=2» (and a shared link's utm_…) go along
                    if request.META.get("QUERY_STRING"):
                        location += "?" + request.META["QUERY_STRING"]
                elif kind:
                    location = reverse(
                        PAGE_URL_NAMES.get(kind) or f"articles:{kind}", kwargs={"slug": slug}
                    )
                else:
                    location = url
            except NoReverseMatch:
                return None
        if not location:
            return None
        if status == Redirect.Status.FOUND:
            return HttpResponseRedirect(location)
        return HttpResponsePermanentRedirect(location)
