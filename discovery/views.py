"""Discovery's pages: search results, sitemaps, the news sitemap and short links."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.files.storage import default_storage
from django.core.paginator import InvalidPage, Paginator
from django.http import FileResponse, Http404, HttpResponseGone, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.views.generic import TemplateView

from articles import cache
from articles.models import Article
from articles.text import LATIN_LETTER, written_in_arabic
from caching.fragments import KeptWholeMixin, cached_fragment
from caching.pagecache import CachedPageMixin
from discovery import cards
from discovery.search import (
    MAX_RESULTS,
    SearchForm,
    highlight,
    search_articles,
    search_language,
    suggest,
)
from discovery.sitemaps import news_articles, sitemaps_for
from newsroom.links import absolute


class SearchView(KeptWholeMixin, CachedPageMixin, TemplateView):
    """Search results: ranked, highlighted, paginated, filtered by section and dates.

    The ranked ids (at most MAX_RESULTS) come in one query and are paginated in Python,
    so the costly search runs once per page view, not once for the count and once more.
    Each search (words, filters, page) is a cached page for anonymous readers, and its
    results a kept fragment for everyone else, until any live article, byline, section or
    author changes, or the next scheduled article goes live.
    """

    cache_params = ("q", "section", "topic", "date_from", "date_to", "page")
    template_name = "discovery/search.html"
    results_template = "discovery/search_results.html"
    paginate_by = 10

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET if "q" in self.request.GET else None)
        searched = form.is_bound and form.is_valid()
        context = super().get_context_data(form=form, searched=searched, **kwargs)
        if searched:
            context["results_html"] = self.kept_results(form.cleaned_data, context["page_query"])
        return context

    def kept_results(self, data, page_query) -> str:
        search = hashlib.sha256(page_query.urlencode().encode()).hexdigest()
        fragment = cached_fragment(
            f"search:{get_language()}:{search}",
            lambda: self.render_results(data, page_query),
            expires_at=cache.next_scheduled_publication(),
        )
        return fragment.html

    def render_results(self, data, page_query) -> tuple[str, set[str]]:
        language = search_language(data["q"], get_language())
        ids = list(
            search_articles(
                data["q"],
                language=language,
                section=data["section"],
                topic=data["topic"],
                date_from=data["date_from"],
                date_to=data["date_to"],
            ).values_list("pk", flat=True)
        )
        paginator = Paginator(ids, self.paginate_by)
        try:
            page = paginator.page(page_query.get("page") or 1)  # the fragment's key
        except InvalidPage as error:
            raise Http404(str(error)) from error
        hits = []
        if page.object_list:
            found = Article.objects.for_listing().in_bulk(page.object_list)
            shown = [found[pk] for pk in page.object_list if pk in found]
            hits = highlight(shown, data["q"], language)
        suggestion = other_edition = None
        if not hits and language == settings.LANGUAGE_CODE:
            suggestion = suggest(data["q"])
            other_edition = english_search_url(data["q"])
        context = {
            "hits": hits,
            "suggestion": suggestion,
            "other_edition": other_edition,
            "max_results": MAX_RESULTS,
            "paginator": paginator,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "page_query": page_query,
        }
        html = render_to_string(self.results_template, context, request=self.request)
        return html, cache.search_page_tags()

    def page_tags(self, context):
        return cache.search_page_tags()

    def page_expires_at(self, context):
        return cache.next_scheduled_publication()

    def get(self, request, *args, **kwargs):
        """The whole page (the frame, the form with its list of sections, the results) kept
        per search, language and origin, as its results are; per request, only the flash
        messages are rendered into it."""
        return self.kept_whole_response() or super().get(request, *args, **kwargs)

    def whole_key(self):
        return "search-page:" + hashlib.sha256(self.page_query().urlencode().encode()).hexdigest()


def short_link(request, pk, language=None):
    """``/a/<id>``: a link that survives messaging apps, 301 to the article's Arabic URL;
    ``/a/<id>/en``: to its English URL."""
    if language is not None and language not in dict(settings.LANGUAGES):
        raise Http404("No such language")
    article = Article.objects.published().only("slug").filter(pk=pk).first()
    # The link's language for the rest of the request: its 404 page is in it too.
    request.LANGUAGE_CODE = language = language or settings.LANGUAGE_CODE
    translation.activate(language)
    if article is None:
        # An article taken down answers as its own address does: gone, not "never was"
        # (a shared short link outlives it). A draft stays unknown.
        if Article.objects.filter(pk=pk, status=Article.Status.UNPUBLISHED).exists():
            return HttpResponseGone(render_to_string("410.html", request=request))
        raise Http404("No such published article")
    return HttpResponsePermanentRedirect(article.get_absolute_url())


def share_card(request, pk, digest, language=None):
    """``/a/<id>/card-<digest>.png``: the article's share card (discovery/cards.py), drawn
    the first time it is asked for and kept; ``/a/<id>/en/card-<digest>.png``: its English
    card. An older digest (the headline changed since the link was shared) is sent to the
    current card, as is an English card of an article with no English headline (to its
    Arabic one)."""
    if language is not None and language not in dict(settings.LANGUAGES):
        raise Http404("No such language")
    article = get_object_or_404(Article.objects.published().select_related("section"), pk=pk)
    text = cards.card_text(article, language)
    current = cards.card_digest(text)
    if digest != current or (language or settings.LANGUAGE_CODE) != text["language"]:
        return HttpResponsePermanentRedirect(cards.card_path(article.pk, text["language"], current))
    try:
        name = cards.ensure_card(article, language)
    except cards.CardUnavailable as error:
        raise Http404(str(error)) from None
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # the digest changes
    return response


def sitemap_index(request):
    """``/sitemap.xml``: the index of the sitemaps, each split in pages of 50,000 URLs."""
    entries = []
    for name, sitemap in sitemaps_for(request).items():
        location = absolute(request, reverse("sitemap_section", kwargs={"section": name}))
        entries.append({"location": location, "last_mod": None})
        entries += [
            {"location": f"{location}?p={page}", "last_mod": None}
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def sitemap_section(request, section):
    """``/sitemap-<section>.xml``: one sitemap, with hreflang alternates per language."""
    return sitemap_views.sitemap(request, sitemaps=sitemaps_for(request), section=section)


def news_sitemap(request):
    """``/news-sitemap.xml``: articles of the last 48 hours in the Google News format."""
    with translation.override(settings.LANGUAGE_CODE):
        urls = [
            {"location": absolute(request, article.get_absolute_url()), "article": article}
            for article in news_articles()
        ]
    return TemplateResponse(
        request,
        "sitemaps/news.xml",
        {"urls": urls, "publication": settings.SITE_NAME, "language": settings.LANGUAGE_CODE},
        content_type="application/xml",
    )


def english_search_url(query: str) -> str | None:
    """Where a query in Latin letters that found nothing on the Arabic site may: the same
    search on the English site («Damascus» searched the Arabic text only)."""
    if not LATIN_LETTER.search(query) or written_in_arabic(query):
        return None
    with translation.override("en"):
        return reverse("discovery:search") + "?" + urlencode({"q": query})
