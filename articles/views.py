"""The reading site: home, section, author and article pages. Thin views over the querysets."""

from datetime import datetime

from django.conf import settings
from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncDay, TruncMonth
from django.http import Http404, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView, TemplateView
from modeltranslation.utils import get_language as translation_language

from articles import cache
from articles.compiled import STAND_IN_SLUG, compiled
from articles.dates import Period, month_name, month_weeks, weekday_names
from articles.models import (
    Article,
    Author,
    Correction,
    Section,
    StoryFile,
    Topic,
    TopicRedirect,
    story_navigation,
)
from articles.related import related_for_page
from articles.templatetags.articles_tags import view_count_label
from caching import tags as tag
from caching.fragments import KeptWholeMixin, cached_fragment, next_year, slot_markers
from caching.pagecache import CachedPageMixin, PageQueryMixin
from newsroom.links import site_origin

HOME_LATEST = 10
HOME_PER_SECTION = 4
HOME_FLAGGED = 12  # at most this many breaking, lead or pinned stories are considered
HOME_BREAKING = 5


class ListPageCacheMixin(KeptWholeMixin, CachedPageMixin):
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

    def whole_key(self) -> str:
        """The page kept whole (KeptWholeMixin): its content's key, and the query it is made
        of (its links carry it)."""
        return f"{self.fragment_key()}:whole:{self.page_query().urlencode()}"

    def kept_main(self, **kwargs):
        fragment = cached_fragment(
            f"{self.fragment_key()}:{get_language()}:{site_origin(self.request)}",
            self.render_main,
            keep=True,  # its links use page_query: the same for ?page=2 and ?page=2&utm_…
            expires_at=self.page_expires_at(None),
        )
        return {"main_html": fragment.html, "page_tags": fragment.tags | tag.every_page()}


class HomeView(ListPageCacheMixin, TemplateView):
    template_name = "articles/home.html"
    main_template = "articles/home_main.html"
    # The editors' layout (frontpage/) plugs in here at startup, articles never importing it:
    # ``live_key()`` names the live layout's fragment (None: none is live, the page below is
    # shown), ``render(view)`` gives its HTML and tags, ``expires_at()`` when a timed placement
    # next starts or ends, ``tags()`` what every home page carries.
    front_page_layout = None

    def page_expires_at(self, context):
        expires = min(cache.next_scheduled_publication(), cache.most_read_expires_at())
        if self.front_page_layout is not None:
            expires = min(expires, self.front_page_layout.expires_at())
        return expires

    @cached_property
    def layout_key(self) -> str | None:
        return self.front_page_layout.live_key() if self.front_page_layout else None

    def fragment_key(self):
        return self.layout_key or "home"

    def render_main(self):
        if self.layout_key:
            return self.front_page_layout.render(self)
        extra = self.front_page_layout.tags() if self.front_page_layout else set()
        context = self.front_page()
        shown = ([context["lead"]] if context["lead"] else []) + context["latest"]
        shown += context["breaking"]
        for _section, articles in context["section_blocks"]:
            shown += articles
        sections = [section for section, _ in context["section_blocks"]]
        html = render_to_string(self.main_template, context, request=self.request)
        return html, cache.home_page_tags(shown, sections) | extra

    def front_page(self):
        """What the home page shows: breaking news, the lead story, the latest articles and
        a block per section, in a fixed number of queries."""
        latest = list(
            Article.objects.published().in_edition().for_listing().without_body()[: HOME_LATEST + 1]
        )
        # Editors' flags: one query (and its byline prefetch) whatever is flagged.
        flagged = list(
            Article.objects.published()
            .in_edition()
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
        sections = list(
            Section.objects.filter(in_navigation=True)[: settings.NEWSROOM_HOME_SECTION_BLOCKS]
        )
        top_per_section = (
            Article.objects.top_per_section(HOME_PER_SECTION, [section.pk for section in sections])
            .in_edition()
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

    def get(self, request, *args, **kwargs):
        return self.kept_whole_response() or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.kept_main()}


class KeptListMixin(ListPageCacheMixin):
    """A paginated list (a section's or an author's articles) whose page of cards is kept."""

    paginate_by = 12
    context_object_name = "articles"

    def fragment_key(self):
        return f"{self.owner_name}:{self.owner.pk}:{self.request.GET.get('page', '1')}"

    owner_model: type

    def find_owner(self):
        """The object whose list this page is: looked up on every request (one query), with
        SQL compiled once per thread (articles/compiled.py): building and compiling the
        queryset was a third of a kept section page's CPU."""
        model = self.owner_model

        def build(slug):
            return model._default_manager.filter(slug=slug).order_by()

        key = (model._meta.label, translation_language())  # what its SQL holds besides the slug
        found = compiled("list-owner", key, model, build, slug=STAND_IN_SLUG).instances(
            slug=self.kwargs["slug"]
        )
        if not found:
            raise Http404(f"No {model._meta.verbose_name} here")
        return found[0]

    def get(self, request, *args, **kwargs):
        """The owner's lookup only: the page is kept whole (KeptWholeMixin) and the listing's
        queryset is built by ``render_main``, i.e. only when its kept fragment is missing or
        stale."""
        self.owner = self.find_owner()
        self.object_list = None
        return self.kept_whole_response() or self.render_to_response(self.get_context_data())

    def main_extra(self) -> dict:
        """More for the kept content (a date archive's calendar)."""
        return {}

    def render_main(self):
        self.object_list = self.get_queryset()
        context = super().get_context_data(**{self.owner_name: self.owner}, **self.main_extra())
        context["list_front"], front_tags = self.front_of_list()
        html = render_to_string(self.main_template, context, request=self.request)
        return html, self.list_tags(context["articles"]) | front_tags

    def front_of_list(self) -> tuple[str, set[str]]:
        """HTML shown above the list (a section's lead and hand-picked slots) and its tags."""
        return "", set()

    def get_context_data(self, **kwargs):
        context = {"view": self, self.owner_name: self.owner, "page_query": self.page_query()}
        return {**context, **kwargs, **self.kept_main()}


class SectionView(KeptListMixin, ListView):
    template_name = "articles/section.html"
    main_template = "articles/section_main.html"
    owner_name = "section"
    # The editors' lead and hand-picked slots above the list (frontpage/ sets it at startup,
    # as HomeView's): on the list's first page only.
    front_page_layout = None

    @cached_property
    def layout_key(self) -> str | None:
        if self.front_page_layout is None or self.request.GET.get("page", "1") != "1":
            return None
        return self.front_page_layout.live_key(section_id=self.owner.pk)

    def fragment_key(self):
        key = super().fragment_key()
        return f"{key}:{self.layout_key}" if self.layout_key else key

    def page_expires_at(self, context):
        expires = super().page_expires_at(context)
        if self.front_page_layout is not None:
            expires = min(expires, self.front_page_layout.expires_at(section_id=self.owner.pk))
        return expires

    def front_of_list(self):
        if self.front_page_layout is None:
            return "", set()
        tags = self.front_page_layout.tags(section_id=self.owner.pk)
        if not self.layout_key:
            return "", tags
        html, shown = self.front_page_layout.render(self, section_id=self.owner.pk)
        return html, tags | shown

    owner_model = Section

    def list_tags(self, articles):
        return cache.section_page_tags(self.owner, articles)

    def get_queryset(self):
        return (
            Article.objects.published()
            .in_edition()
            .in_section(self.owner)
            .for_listing()
            .without_body()
        )


class AuthorView(KeptListMixin, ListView):
    template_name = "articles/author.html"
    main_template = "articles/author_main.html"
    owner_name = "author"
    owner_model = Author

    def list_tags(self, articles):
        return cache.author_page_tags(self.owner, articles)

    def get_queryset(self):
        return (
            Article.objects.published()
            .in_edition()
            .by_author(self.owner)
            .for_listing()
            .without_body()
        )


class DateArchiveView(KeptListMixin, ListView):
    """A year's, a month's or a day's articles, newest first; a month shows its calendar
    (days with articles linked), a year its months."""

    template_name = "articles/date_archive.html"
    main_template = "articles/date_archive_main.html"
    owner_name = "period"

    def list_tags(self, articles):
        return cache.archive_page_tags(self.owner.pk, articles)

    def get_context_data(self, **kwargs):
        """A period with nothing published (1999, next year) is a page search engines should
        not keep: «نُشر لا شيء» at a thousand addresses reads as soft 404s."""
        context = super().get_context_data(**kwargs)
        context["noindex"] = not self.get_queryset().exists()
        return context

    def find_owner(self):
        year, month, day = (self.kwargs.get(key) for key in ("year", "month", "day"))
        if not 1900 <= year <= 2200:
            raise Http404("No archive for that year")
        try:
            return Period(year, month, day)
        except ValueError:
            raise Http404("No such date") from None

    def get_queryset(self):
        start, end = self.owner.bounds()
        return (
            Article.objects.published()
            .in_edition()
            .filter(published_at__gte=start, published_at__lt=end)
            .for_listing()
            .without_body()
        )

    def main_extra(self):
        """The month's calendar (days with articles) or the year's months, in one query."""
        period = self.owner
        if period.day:
            return {}
        zone = timezone.get_current_timezone()
        unit = TruncMonth if period.month is None else TruncDay
        start, end = period.bounds()
        counts = dict(
            Article.objects.published()
            .in_edition()
            .filter(published_at__gte=start, published_at__lt=end)
            .annotate(unit=unit("published_at", tzinfo=zone))
            .values("unit")
            .annotate(n=Count("id"))
            .values_list("unit", "n")
            .order_by()
        )
        if period.month is None:
            by_month = {moment.month: n for moment, n in counts.items()}
            return {
                "months": [
                    (month, month_name(month), by_month.get(month, 0)) for month in range(1, 13)
                ],
                "years": years_with_articles(zone),
            }
        days = {timezone.localtime(moment, zone).date() for moment in counts}
        return {
            "weeks": month_weeks(period.year, period.month),
            "weekday_names": weekday_names(),
            "days_with_articles": days,
        }


class TopicView(KeptListMixin, ListView):
    """A topic's articles, newest first. A topic merged into another answers 301 there."""

    template_name = "articles/topic.html"
    main_template = "articles/topic_main.html"
    owner_name = "topic"
    owner_model = Topic

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            kept = TopicRedirect.kept_topic(kwargs["slug"])
            if kept is None:
                raise
            return HttpResponsePermanentRedirect(kept.get_absolute_url())

    def list_tags(self, articles):
        return cache.topic_page_tags(self.owner, articles)

    def get_queryset(self):
        return (
            Article.objects.published().in_edition().about(self.owner).for_listing().without_body()
        )


class StoryFileView(KeptListMixin, ListView):
    """A story file («ملف»): its articles in the editors' order."""

    template_name = "articles/story_file.html"
    main_template = "articles/story_file_main.html"
    owner_name = "story_file"
    owner_model = StoryFile

    def list_tags(self, articles):
        return cache.story_file_page_tags(self.owner, articles)

    def get_queryset(self):
        return Article.objects.published().in_story_file(self.owner).for_listing().without_body()


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


class ArticleDetailView(KeptWholeMixin, CachedPageMixin, DetailView):
    """An article page. Per request: one small query (the article's frame, its view count and
    the published check), the flash messages, the view count, the "most read" lists (from
    their own kept fragments) and the comment section (the form with the reader's CSRF token
    and signed fields, the kept list of comments). Everything else of a published article is
    the same for every reader (its text, related links, menus) and comes from one page kept
    per article, language and site origin until one of its tags changes, not when "most
    read" may have moved (caching/fragments.py). Staff previews of unpublished articles, and
    pages with a query parameter the page is made of, are rendered fresh every time."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    personal_params = ("reply",)  # the comment form opened as a reply to one comment
    FRAME_FIELDS = (
        "id",
        "slug",
        "status",
        "published_at",
        "section_id",
        "comments_enabled",
        "view_count",  # with the recorded views: the count drawn into the kept fragment
    )
    # Where the view count goes in the article's kept fragment: the count is drawn per page
    # from the frame query, so the fragment does not end when the count may have moved.
    VIEWS_SLOT = slot_markers("views")["views"]

    def page_tags(self, context):
        return context["page_tags"]

    def page_expires_at(self, context):
        return cache.most_read_expires_at()

    def get_queryset(self):
        titles = [
            f"{field}_{code}"
            for code, _name in settings.LANGUAGES
            for field in ("title", "seo_title")  # the page's <title>
        ]
        return Article.objects.with_recorded_views().only(*self.FRAME_FIELDS, *titles)

    def frame_query(self, slug):
        return self.get_queryset().filter(slug=slug).order_by()

    def get_object(self, queryset=None):
        if queryset is not None:
            article = super().get_object(queryset)
        else:  # the frame query, compiled once per thread (articles/compiled.py)
            languages = tuple(code for code, _name in settings.LANGUAGES)  # its title columns
            query = compiled(
                "article-frame", languages, Article, self.frame_query, slug=STAND_IN_SLUG
            )
            found = query.instances(slug=self.kwargs[self.slug_url_kwarg])
            if not found:
                raise Http404("No article here")
            article = found[0]
        if not article.is_published() and not self.is_preview_allowed():
            raise Http404("No published article here")
        return article

    def is_preview_allowed(self):
        return self.request.user.has_perm("articles.change_article")

    @cached_property
    def full_article(self):
        """Everything the article's fragments show (only fetched when one is rendered)."""
        return Article.objects.page_article(self.object.pk)

    def render_fragment(self):
        """The page's head metadata and main block (the article and its related links),
        rendered together from the full article: what every reader of this article sees."""
        article = self.full_article
        published = article.is_published()
        related = related_for_page(article) if published else []
        # Most articles are in no file: the article's own query says so, sparing one.
        story = story_navigation(article) if article.in_a_story_file else None
        context = {
            "article": article,
            "corrections": article.page_corrections(),
            "related": related,
            "story": story,
            "is_preview": not published,
            "views_slot": self.VIEWS_SLOT,
        }
        parts = {
            "head": render_to_string("articles/article_head.html", context, request=self.request),
            "main": render_to_string("articles/article_main.html", context, request=self.request),
        }
        return parts, cache.article_page_tags(article, related, story)

    def get_context_data(self, **kwargs):
        article = self.object
        # Kept per article, language and site origin (it holds absolute links); a preview of
        # an unpublished article is rendered every time and never kept.
        fragment = cached_fragment(
            f"article:{article.pk}:{get_language()}:{site_origin(self.request)}",
            self.render_fragment,
            keep=article.is_published(),
        )
        main = fragment.part("main")
        if "views" not in kwargs.get("page_slots", {}):  # a page kept whole draws it per page
            main = mark_safe(main.replace(self.VIEWS_SLOT, self.views_html(), 1))
        return super().get_context_data(
            head_html=fragment.part("head"),
            main_html=main,
            page_tags=fragment.tags | tag.every_page(),
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published():
            add_never_cache_headers(response)
        return response

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        response = self.kept_whole_response()
        if response is None:
            response = self.render_to_response(self.get_context_data(object=self.object))
        return response

    def whole_key(self):
        if not self.object.is_published() or any(
            name in self.request.GET for name in self.cache_params
        ):
            return None
        return f"article-whole:{self.object.pk}"

    def whole_context(self):
        return {"article": self.object}

    def whole_expires_at(self):
        """The page kept whole draws what goes stale by itself (the view count, "most read")
        per page: it lasts until what it shows changes (at the latest, the footer's year)."""
        return next_year()

    def views_html(self, request=None) -> str:
        """The article's view count as of this request (the frame query's)."""
        return conditional_escape(view_count_label(self.object.total_views))

    def drawn_parts(self):
        return super().drawn_parts() | {"most_read"}

    def slot_parts(self):
        article = self.object
        return {
            **super().slot_parts(),
            "views": self.views_html,
            "most_read": lambda request: render_to_string(
                "articles/article_most_read.html", {"article": article}, request=request
            ),
            "comments": lambda request: render_to_string(
                "comments/article_comments.html", {"article": article}, request=request
            ),
        }


def years_with_articles(zone) -> list[int]:
    """The years with published articles, newest first, for readers to go back in time (a
    year's page linked no other year): one index lookup per year (a loose index scan), not
    a scan of the archive; a year's page is kept, so rarely rendered."""
    published = Article.objects.published().in_edition()
    years = []
    first = published.aggregate(first=Min("published_at"))["first"]
    while first is not None:
        year = timezone.localtime(first, zone).year
        years.append(year)
        following = published.filter(published_at__gte=datetime(year + 1, 1, 1, tzinfo=zone))
        first = following.aggregate(first=Min("published_at"))["first"]
    return years[::-1]
