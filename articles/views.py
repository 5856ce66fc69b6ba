"""The reading site: home, section, author and article pages. Thin views over the querysets."""

import hashlib

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import InvalidPage, Paginator
from django.db.models import F, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView, TemplateView

from articles import cache
from articles import view_services as services
from articles.links import absolute, site_origin
from articles.models import Article, Author, Correction, Section
from articles.search import (
    MAX_RESULTS,
    SearchForm,
    highlight,
    related_for_page,
    search_articles,
    suggest,
)
from articles.sitemaps import news_articles, sitemaps_for
from newsroom.fragments import cached_fragment
from newsroom.pagecache import CachedPageMixin, PageQueryMixin

HOME_LATEST = 10
HOME_PER_SECTION = 4
HOME_FLAGGED = 12  # at most this many breaking, lead or pinned stories are considered
HOME_BREAKING = 5


class ListPageCacheMixin(CachedPageMixin):
    """List pages also go stale when the next scheduled article goes live.

    Their content (``main_template``) is the same for every reader: it is rendered in
    ``render_main`` and kept as a fragment until what it lists changes (its tags), so a
    render (a reader with a session, a page-cache miss) costs the page's own lookup only.
    """

    main_template: str

    def page_expires_at(self, context):
        return cache.next_scheduled_publication()

    def page_tags(self, context):
        return context["page_tags"]

    def fragment_key(self) -> str:
        raise NotImplementedError

    def render_main(self) -> tuple[str, set[str]]:
        raise NotImplementedError

    def kept_main(self, **kwargs):
        fragment = cached_fragment(
            f"{self.fragment_key()}:{get_language()}:{site_origin(self.request)}",
            self.render_main,
            keep=True,  # its links use page_query: the same for ?page=2 and ?page=2&utm_…
            expires_at=self.page_expires_at(None),
        )
        return {"main_html": fragment.html, "page_tags": fragment.tags | cache.EVERY_PAGE}


class HomeView(ListPageCacheMixin, TemplateView):
    template_name = "articles/home.html"
    main_template = "articles/home_main.html"

    def page_expires_at(self, context):
        return min(cache.next_scheduled_publication(), cache.most_read_expires_at())

    def fragment_key(self):
        return "home"

    def render_main(self):
        context = self.front_page()
        shown = ([context["lead"]] if context["lead"] else []) + context["latest"]
        shown += context["breaking"]
        for _section, articles in context["section_blocks"]:
            shown += articles
        sections = [section for section, _ in context["section_blocks"]]
        html = render_to_string(self.main_template, context, request=self.request)
        return html, cache.home_page_tags(shown, sections)

    def front_page(self):
        """What the home page shows: breaking news, the lead story, the latest articles and
        a block per section, in a fixed number of queries."""
        latest = list(Article.objects.published().for_listing().without_body()[: HOME_LATEST + 1])
        # Editors' flags: one query (and its byline prefetch) whatever is flagged.
        flagged = list(
            Article.objects.published()
            .for_listing()
            .without_body()
            .filter(Q(is_featured=True) | Q(is_breaking=True) | Q(pin_order__isnull=False))
            .order_by(F("pin_order").asc(nulls_last=True), "-published_at", "-id")[:HOME_FLAGGED]
        )
        featured = [article for article in flagged if article.is_featured]
        lead = featured[0] if featured else (latest[0] if latest else None)
        pinned = [a for a in flagged if a.pin_order is not None and a != lead]
        seen = {lead.pk if lead else None, *(a.pk for a in pinned)}
        rest = [article for article in latest if article.pk not in seen]
        # The first sections in the editors' order get a block; the menu links to all of them.
        sections = list(Section.objects.all()[: settings.NEWSROOM_HOME_SECTION_BLOCKS])
        top_per_section = (
            Article.objects.top_per_section(HOME_PER_SECTION, [section.pk for section in sections])
            .for_listing()
            .without_body()
        )
        by_section = {}
        for article in top_per_section:
            by_section.setdefault(article.section_id, []).append(article)
        return {
            "breaking": [article for article in flagged if article.is_breaking][:HOME_BREAKING],
            "lead": lead,
            "latest": (pinned + rest)[:HOME_LATEST],
            "section_blocks": [
                (section, by_section[section.pk])
                for section in sections
                if section.pk in by_section
            ],
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.kept_main()}


class KeptListMixin(ListPageCacheMixin):
    """A paginated list (a section's or an author's articles) whose page of cards is kept."""

    paginate_by = 12
    context_object_name = "articles"

    def fragment_key(self):
        return f"{self.owner_name}:{self.owner.pk}:{self.request.GET.get('page', '1')}"

    def render_main(self):
        context = super().get_context_data(**{self.owner_name: self.owner})  # paginates
        html = render_to_string(self.main_template, context, request=self.request)
        return html, self.list_tags(context["articles"])

    def get_context_data(self, **kwargs):
        context = {"view": self, self.owner_name: self.owner, "page_query": self.page_query()}
        return {**context, **self.kept_main()}


class SectionView(KeptListMixin, ListView):
    template_name = "articles/section.html"
    main_template = "articles/section_main.html"
    owner_name = "section"

    def list_tags(self, articles):
        return cache.section_page_tags(self.owner, articles)

    def get_queryset(self):
        self.owner = get_object_or_404(Section, slug=self.kwargs["slug"])
        return Article.objects.published().in_section(self.owner).for_listing().without_body()


class AuthorView(KeptListMixin, ListView):
    template_name = "articles/author.html"
    main_template = "articles/author_main.html"
    owner_name = "author"

    def list_tags(self, articles):
        return cache.author_page_tags(self.owner, articles)

    def get_queryset(self):
        self.owner = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Article.objects.published().by_author(self.owner).for_listing().without_body()


class CorrectionListView(PageQueryMixin, ListView):
    """Every correction and clarification on a published article, newest first."""

    template_name = "articles/corrections.html"
    paginate_by = 20
    context_object_name = "corrections"

    def get_queryset(self):
        return (
            Correction.objects.filter(article__in=Article.objects.published())
            .select_related("article")
            .order_by("-created_at", "-id")
        )


class ArticleDetailView(CachedPageMixin, DetailView):
    """An article page. Per request: one small query (the article's frame and the published
    check) and the comment form; the rest is rendered from fragments kept until the article,
    its related links or its comments change (newsroom/fragments.py), since it is the same for
    every reader. Staff previews of unpublished articles are rendered fresh every time."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    personal_params = ("reply",)  # the comment form opened as a reply to one comment
    FRAME_FIELDS = ("id", "slug", "status", "published_at", "section_id", "comments_enabled")

    def page_tags(self, context):
        return context["page_tags"]

    def page_expires_at(self, context):
        return cache.most_read_expires_at()

    def get_queryset(self):
        titles = [f"title_{code}" for code, _name in settings.LANGUAGES]
        return Article.objects.only(*self.FRAME_FIELDS, *titles)

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if not article.is_published() and not self.is_preview_allowed():
            raise Http404("No published article here")
        return article

    def is_preview_allowed(self):
        return self.request.user.has_perm("articles.change_article")

    @cached_property
    def full_article(self):
        """Everything the article's fragments show (only fetched when one is rendered)."""
        return Article.objects.for_reading().with_recorded_views().get(pk=self.object.pk)

    def render_fragment(self):
        """The page's head metadata and main block (the article and its related links),
        rendered together from the full article: what every reader of this article sees."""
        article = self.full_article
        published = article.is_published()
        related = related_for_page(article) if published else []
        context = {
            "article": article,
            "corrections": list(article.corrections.all()),
            "related": related,
            "is_preview": not published,
        }
        parts = {
            "head": render_to_string("articles/article_head.html", context, request=self.request),
            "main": render_to_string("articles/article_main.html", context, request=self.request),
        }
        return parts, cache.article_page_tags(article, related)

    def get_context_data(self, **kwargs):
        article = self.object
        # Kept per article, language and site origin (it holds absolute links); a preview of
        # an unpublished article is rendered every time and never kept.
        fragment = cached_fragment(
            f"article:{article.pk}:{get_language()}:{site_origin(self.request)}",
            self.render_fragment,
            keep=article.is_published(),
            expires_at=cache.most_read_expires_at(),  # the article's view count it shows
        )
        return super().get_context_data(
            head_html=fragment.part("head"),
            main_html=fragment.part("main"),
            page_tags=fragment.tags | cache.EVERY_PAGE,
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published():
            add_never_cache_headers(response)
        return response


class SearchView(CachedPageMixin, TemplateView):
    """Search results: ranked, highlighted, paginated, filtered by section and dates.

    The ranked ids (at most MAX_RESULTS) come in one query and are paginated in Python,
    so the costly search runs once per page view, not once for the count and once more.
    Each search (words, filters, page) is a cached page for anonymous readers, and its
    results a kept fragment for everyone else, until any live article, byline, section or
    author changes, or the next scheduled article goes live.
    """

    cache_params = ("q", "section", "date_from", "date_to", "page")
    template_name = "articles/search.html"
    results_template = "articles/search_results.html"
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
        language = get_language()
        ids = list(
            search_articles(
                data["q"],
                language=language,
                section=data["section"],
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
        suggestion = None
        if not hits and language == settings.LANGUAGE_CODE:
            suggestion = suggest(data["q"])
        context = {
            "hits": hits,
            "suggestion": suggestion,
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


def short_link(request, pk, language=None):
    """``/a/<id>``: a link that survives messaging apps, 301 to the article's Arabic URL;
    ``/a/<id>/en``: to its English URL."""
    if language is not None and language not in dict(settings.LANGUAGES):
        raise Http404("No such language")
    article = get_object_or_404(Article.objects.published().only("slug"), pk=pk)
    with translation.override(language or settings.LANGUAGE_CODE):
        return HttpResponsePermanentRedirect(article.get_absolute_url())


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


# VIEW COUNTER: tiny endpoints outside i18n_patterns (see docs/view-counter.md)

TRANSPARENT_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _count(request, article_id):
    """(status, payload): the judging and counting shared with the WSGI fast path."""
    return services.count_view(
        meta=request.META,
        host=request.get_host(),
        article_id=article_id,
        # reads the session only when there is one: readers cost no query
        is_staff=lambda: settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff,
    )


def _no_store(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # the cached article page carries no token; same-origin is checked instead
@require_POST
def record_view(request, article_id):
    """Count one view of a published article, called by ``static/js/view-counter.js``.

    Answers JSON ``{"counted": bool, "views": total, "reason": why not}``: 200 when the
    request was judged (counted, or ignored as a duplicate, bot, prefetch or staff), 404 for
    an unknown or unpublished article, 403 from another site, 405 for any method but POST,
    503 when the database failed (nothing counted).
    """
    status, payload = _count(request, article_id)
    return _no_store(JsonResponse(payload, status=status))


@require_GET
def record_view_pixel(request, article_id):
    """The no-JavaScript fallback: a 1×1 GIF in ``<noscript>`` that counts like the POST."""
    status, _payload = _count(request, article_id)
    return _no_store(HttpResponse(TRANSPARENT_GIF, content_type="image/gif", status=status))


@csrf_exempt
def bad_view_id(request, raw):
    """Anything under api/views/ that is not a whole number: 400, never a 500."""
    return _no_store(JsonResponse({"counted": False, "reason": "bad-id"}, status=400))
