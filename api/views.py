"""The API's endpoints: thin DRF views over the same querysets as the reading site.

Every list and object comes from ``Article.objects.published()`` (or a section or author,
which are public), so drafts, articles in review, embargoed and scheduled-not-yet-live
articles are never found: their ids answer 404 like ids that never existed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.generic import TemplateView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api import cache
from api.endpoint import api_endpoint
from api.errors import bad_request, exception_handler, form_error
from api.openapi import schema
from api.pagination import BadCursor, Keyset, offset_page
from api.params import ARTICLE_FILTERS, ArticleListForm, MostReadForm, PageForm
from api.representations import (
    article_card,
    article_detail,
    author_data,
    live_entry_data,
    section_data,
    story_file_data,
    topic_data,
)
from articles.cache import card_tags, most_read_expires_at, next_scheduled_publication
from articles.cache import search_page_tags as site_search_tags
from articles.models import Article, Author, Section, StoryFile, Topic
from caching import tags as tag
from caching.fragments import cached_fragment
from counters.most_read import most_read
from discovery.search import SearchForm, highlight, search_articles, search_language
from embeds.services import article_media
from live.models import LiveCoverage
from newsroom.links import absolute, site_origin

ARTICLES = Keyset("-published_at", "-id", datetimes=("published_at",))
LIVE_ENTRIES = Keyset("-id")
MOST_READ_PERIODS = {"day": "today", "week": "week", "month": "month", "all": "all"}


class AlwaysJSON(BaseContentNegotiation):
    """One representation: JSON, whatever the Accept header says (no 406 for browsers)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ApiView(APIView):
    """Read-only, anonymous, JSON: no sessions, no authentication, no DRF throttling (our
    rate limits and page cache wrap the view in ``api_endpoint``)."""

    renderer_classes = (JSONRenderer,)
    content_negotiation_class = AlwaysJSON
    authentication_classes = ()
    permission_classes = ()
    throttle_classes = ()
    http_method_names = ("get", "head", "options")
    # Query parameters an answer is made of (with ``lang``): each combination is cached apart.
    cache_params: tuple[str, ...] = ()
    rate_scopes: tuple[str, ...] = ()

    @classmethod
    def as_view(cls, **initkwargs):
        return api_endpoint(super().as_view(**initkwargs), cls.cache_params, cls.rate_scopes)

    def get_exception_handler(self):
        return exception_handler

    def link(self, name: str, cursor: str | None, **kwargs) -> str | None:
        """The next page's absolute URL: the parameters the answer is made of, nothing else
        (a cached answer never repeats one client's ``?utm_…``)."""
        if cursor is None:
            return None
        query = {
            param: self.request.GET[param]
            for param in ("lang", *self.cache_params)
            if param in self.request.GET and param != "cursor"
        }
        query["cursor"] = cursor
        return absolute(self.request, reverse(name, kwargs=kwargs) + "?" + urlencode(query))

    @staticmethod
    def kept(body, tags, expires_at: float = float("inf")) -> Response:
        response = Response(body)
        response.page_tags = tags
        response.expires_at = expires_at
        return response

    def kept_json(
        self,
        key: str,
        render: Callable[[], tuple[dict, set[str]]],
        expires_at: float = float("inf"),
    ) -> HttpResponse:
        """The answer ``render()`` gives (its body and tags), kept as rendered JSON per
        language and site origin until one of its tags changes (caching/fragments.py): the
        same bytes and headers as ``kept``, without its queries while it is kept."""

        def rendered():
            body, tags = render()
            return JSONRenderer().render(body).decode(), tags

        fragment = cached_fragment(
            f"{key}:{get_language()}:{site_origin(self.request)}", rendered, expires_at=expires_at
        )
        response = HttpResponse(fragment.content, content_type=JSONRenderer.media_type)
        response.page_tags = set(fragment.tags)
        response.expires_at = expires_at
        return response


class ApiRoot(ApiView):
    RESOURCES = {
        "articles": "api:article-list",
        "sections": "api:section-list",
        "authors": "api:author-list",
        "topics": "api:topic-list",
        "files": "api:file-list",
        "most_read": "api:most-read",
        "search": "api:search",
        "openapi": "api:openapi",
        "docs": "api:docs",
    }

    def get(self, request):
        links = {name: absolute(request, reverse(url)) for name, url in self.RESOURCES.items()}
        return self.kept(links, set())


class ArticleList(ApiView):
    """The latest articles, filtered, a page at a time. Each page's answer (the JSON) is kept
    as a fragment until a card on it or the list it is a page of changes, or the next
    scheduled article goes live: the query and the cards are made only then."""

    cache_params = (*(f.name for f in ARTICLE_FILTERS), "cursor", "limit")

    def get(self, request):
        form = ArticleListForm(request.GET)
        if not form.is_valid():
            return form_error(form)
        # Encoded, so a value holding "&" or "=" never reads as another set of parameters.
        query = urlencode(
            [(name, request.GET[name]) for name in self.cache_params if name in request.GET]
        )
        digest = hashlib.sha256(query.encode()).hexdigest()
        try:
            return self.kept_json(
                f"api-articles:{digest}", lambda: self.page(form), next_scheduled_publication()
            )
        except BadCursor as error:
            return bad_request(str(error), "cursor")

    def page(self, form) -> tuple[dict, set[str]]:
        # The English list follows the English edition: untranslated articles too, unless
        # NEWSROOM_EN_SHOWS_ARABIC is off (each card says its ``language``).
        articles = Article.objects.published().in_edition().for_listing().without_body()
        filter_tags = set()
        for article_filter in ARTICLE_FILTERS:
            value = form.cleaned_data.get(article_filter.name)
            if value:
                articles = article_filter.apply(articles, value)
                filter_tags |= article_filter.tags(value)
        rows, cursor = ARTICLES.page(
            articles, form.cleaned_data["cursor"], form.cleaned_data["limit"]
        )
        body = {
            "results": [article_card(self.request, article) for article in rows],
            "next": self.link("api:article-list", cursor),
            "next_cursor": cursor,
        }
        return body, cache.article_list_tags(rows, filter_tags=filter_tags)


class ArticleDetail(ApiView):
    """One article. Per request one small query (is it published?); its answer (the JSON,
    the body sanitised) is kept as a fragment until the article, a topic of it or its media
    change."""

    def get(self, request, pk):
        if not Article.objects.is_published_id(pk):
            raise Http404
        return self.kept_json(f"api-article:{pk}", lambda: self.detail(pk))

    def detail(self, pk) -> tuple[dict, set[str]]:
        article = Article.objects.published().for_listing().filter(pk=pk).first()
        if article is None:  # unpublished since the check: not kept, answered 404
            raise Http404
        corrections, topics = list(article.corrections.all()), list(article.topics.all())
        media = article_media(article)
        body = article_detail(self.request, article, corrections, topics, media)
        topic_tags = {tag.topic(topic.pk) for topic in topics}
        return body, cache.article_tags(article) | topic_tags | media["tags"]


class SectionList(ApiView):
    def get(self, request):
        sections = list(Section.objects.all())
        body = {"results": [section_data(request, section) for section in sections]}
        return self.kept(body, {tag.section_menu()} | {tag.section(s.pk) for s in sections})


class SectionDetail(ApiView):
    def get(self, request, pk):
        section = Section.objects.filter(pk=pk).first()
        if section is None:
            raise Http404
        return self.kept(section_data(request, section), {tag.section(section.pk)})


class IndexList(ApiView):
    """Every object of one kind (authors, topics, story files), a page at a time by id: the
    page's objects and the kind's index tag (bumped when one is made or deleted)."""

    cache_params = ("cursor", "limit")
    keyset = Keyset("id")
    url_name: str
    index_tag: Callable[[], str]  # caching.tags.author_index…: the kind's list
    item_tag: Callable[[int], str]  # caching.tags.author…: each object's own tag

    def objects(self):
        raise NotImplementedError

    def item(self, request, obj) -> dict:
        raise NotImplementedError

    def get(self, request):
        form = PageForm(request.GET)
        if not form.is_valid():
            return form_error(form)
        try:
            rows, cursor = self.keyset.page(
                self.objects(), form.cleaned_data["cursor"], form.cleaned_data["limit"]
            )
        except BadCursor as error:
            return bad_request(str(error), "cursor")
        body = {
            "results": [self.item(request, obj) for obj in rows],
            "next": self.link(self.url_name, cursor),
            "next_cursor": cursor,
        }
        return self.kept(body, {self.index_tag()} | {self.item_tag(obj.pk) for obj in rows})


class AuthorList(IndexList):
    url_name = "api:author-list"
    index_tag, item_tag = staticmethod(tag.author_index), staticmethod(tag.author)

    def objects(self):
        return Author.objects.all()

    def item(self, request, obj):
        return author_data(request, obj)


class TopicList(IndexList):
    url_name = "api:topic-list"
    index_tag, item_tag = staticmethod(tag.topic_index), staticmethod(tag.topic)

    def objects(self):
        return Topic.objects.all()

    def item(self, request, obj):
        return topic_data(request, obj)


class StoryFileList(IndexList):
    url_name = "api:file-list"
    index_tag, item_tag = staticmethod(tag.story_file_index), staticmethod(tag.story_file)

    def objects(self):
        return StoryFile.objects.all()

    def item(self, request, obj):
        return story_file_data(request, obj)


class AuthorDetail(ApiView):
    def get(self, request, pk):
        author = Author.objects.filter(pk=pk).first()
        if author is None:
            raise Http404
        return self.kept(author_data(request, author), {tag.author(author.pk)})


class TopicDetail(ApiView):
    def get(self, request, pk):
        topic = Topic.objects.filter(pk=pk).first()
        if topic is None:
            raise Http404
        return self.kept(topic_data(request, topic), {tag.topic(topic.pk)})


class StoryFileDetail(ApiView):
    """A story file with its published pieces in the editors' order."""

    def get(self, request, pk):
        story_file = StoryFile.objects.filter(pk=pk).first()
        if story_file is None:
            raise Http404
        articles = list(
            Article.objects.published().in_story_file(story_file).for_listing().without_body()
        )
        tags = {tag.story_file(story_file.pk), tag.story_file_list(story_file.pk)}
        return self.kept(
            story_file_data(request, story_file, articles),
            tags | card_tags(articles),
            next_scheduled_publication(),
        )


class LiveEntries(ApiView):
    """A published article's live coverage: its state and its entries, newest first (removed
    entries never appear)."""

    cache_params = ("cursor", "limit")

    def get(self, request, pk):
        coverage = (
            LiveCoverage.objects.filter(article_id=pk, article__in=Article.objects.published())
            .select_related("article")
            .first()
        )
        if coverage is None:
            raise Http404
        form = PageForm(request.GET)
        if not form.is_valid():
            return form_error(form)
        entries = coverage.entries.visible().select_related("author")
        try:
            rows, cursor = LIVE_ENTRIES.page(
                entries, form.cleaned_data["cursor"], form.cleaned_data["limit"]
            )
        except BadCursor as error:
            return bad_request(str(error), "cursor")
        body = {
            "article": absolute(request, coverage.article.get_absolute_url()),
            "live": coverage.is_live,
            "started_at": coverage.started_at,
            "ended_at": coverage.ended_at,
            "results": [live_entry_data(request, entry) for entry in rows],
            "next": self.link("api:live-entries", cursor, pk=pk),
            "next_cursor": cursor,
        }
        return self.kept(body, {tag.live(pk), tag.article(pk)})


class MostRead(ApiView):
    """The counter's "most read" ranking (counters/most_read.py), refreshed every
    NEWSROOM_MOST_READ_SECONDS and whenever a listed article changes."""

    cache_params = ("period", "section")

    def get(self, request):
        form = MostReadForm(request.GET)
        if not form.is_valid():
            return form_error(form)
        period = MOST_READ_PERIODS[form.cleaned_data["period"]]
        section = form.cleaned_data["section"]
        ranking = {
            name: found for name, _label, found in most_read(section.pk if section else None)
        }
        entries = ranking.get(period, [])
        body = {
            "period": form.cleaned_data["period"],
            "section": section.slug if section else None,
            "results": [
                {
                    "id": entry.id,
                    "slug": entry.slug,
                    "url": absolute(request, entry.get_absolute_url()),
                    "title": entry.title,
                    "section_id": entry.section_id,
                    "views": entry.views,
                }
                for entry in entries
            ],
        }
        tags = {tag.most_read(section.pk if section else None)}
        tags |= {tag.article(entry.id) for entry in entries}
        return self.kept(body, tags, most_read_expires_at())


class Search(ApiView):
    """The site's search (discovery/search.py): the same Arabic folding, ranking, filters
    and messages; at most 200 ranked results, paged with a cursor."""

    cache_params = ("q", "section", "date_from", "date_to", "cursor", "limit")
    rate_scopes = ("api-search",)

    def get(self, request):
        form, paging = SearchForm(request.GET), PageForm(request.GET)
        if not form.is_valid():
            return form_error(form)
        if not paging.is_valid():
            return form_error(paging)
        data = form.cleaned_data
        language = search_language(data["q"], get_language())  # Arabic letters: Arabic text
        ids = list(
            search_articles(
                data["q"],
                language=language,
                section=data["section"],
                date_from=data["date_from"],
                date_to=data["date_to"],
            ).values_list("pk", flat=True)
        )
        try:
            page_ids, cursor = offset_page(
                ids, paging.cleaned_data["cursor"], paging.cleaned_data["limit"]
            )
        except BadCursor as error:
            return bad_request(str(error), "cursor")
        found = Article.objects.for_listing().in_bulk(page_ids)
        articles = [found[pk] for pk in page_ids if pk in found]
        results = []
        for hit in highlight(articles, data["q"], language):
            card = article_card(request, hit.article)
            card["title_html"], card["snippet_html"] = str(hit.title), str(hit.snippet)
            results.append(card)
        body = {
            "count": len(ids),
            "results": results,
            "next": self.link("api:search", cursor),
            "next_cursor": cursor,
        }
        tags = site_search_tags() | card_tags(articles)
        return self.kept(body, tags, next_scheduled_publication())


class OpenApiSchema(ApiView):
    def get(self, request):
        return self.kept(schema(absolute(request, reverse("api:root"))), set())


class ApiDocs(TemplateView):
    """The API's documentation page, made on the server from the OpenAPI schema: no script,
    nothing from a CDN (the site's CSP allows our static files only)."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        document = schema(absolute(self.request, reverse("api:root")))
        operations = [
            {
                "path": path,
                **item["get"],
                "summary": with_code(item["get"].get("summary", "")),
                "parameters": [
                    {**parameter, "description": with_code(parameter.get("description", ""))}
                    for parameter in item["get"].get("parameters", [])
                ],
            }
            for path, item in document["paths"].items()
        ]
        description = with_code(document["info"].get("description", ""))
        return super().get_context_data(
            document=document, description=description, operations=operations, **kwargs
        )


_CODE_SPAN = re.compile(r"`([^`]+)`")


def with_code(text: str) -> str:
    """The document's `name` as <code>name</code>, the rest escaped (the page showed the
    backticks as typed)."""
    return mark_safe(_CODE_SPAN.sub(r"<code>\1</code>", escape(text or "")))
