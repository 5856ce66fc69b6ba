"""sitemap.xml (articles, sections, authors; Arabic and English alternates) and the news
sitemap (Google News format, the last 48 hours and live coverage)."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone

from articles.models import Article, Author, Section, StoryFile, Topic
from discovery.links import article_languages
from newsroom.links import site_origin

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 URLs per news sitemap


class LanguagePagesPaginator(Paginator):
    """Pages of items, each expanded into (item, language) pairs only for the page shown.

    Django's i18n sitemaps build the (item, language) list for the whole archive on every
    request (100,000 articles loaded to render one page); this slices the queryset instead.
    """

    def __init__(self, object_list, per_page, languages_for):
        super().__init__(object_list, per_page)
        self.languages_for = languages_for

    def page(self, number):
        page = super().page(number)
        page.object_list = [
            (item, code) for item in page.object_list for code in self.languages_for(item)
        ]
        return page


class SiteSitemap(Sitemap):
    """Absolute URLs from NEWSROOM_SITE_URL or the request, not from the Sites table."""

    i18n = True
    alternates = True
    x_default = False  # Django strips the prefix for it; ours is always on (see <head>)
    languages = ["ar", "en"]
    limit = 2500  # items per page: at most 5,000 URLs, rendered in well under a second

    def __init__(self, request=None):
        self.request = request

    @property
    def paginator(self):
        return LanguagePagesPaginator(self.items(), self.limit, self.get_languages_for_item)

    def _origin(self):
        return urlsplit(site_origin(self.request))

    def get_domain(self, site=None):
        return self._origin().netloc

    def get_protocol(self, protocol=None):
        return self._origin().scheme


class ArticleSitemap(SiteSitemap):
    changefreq = "never"
    priority = 0.8

    def items(self):
        return (
            Article.objects.published()
            .indexable()  # noindex and copies of another outlet's page stay out
            .only("slug", "updated_at", "title_en", "published_at")
            .order_by("-published_at", "-id")
        )

    def get_languages_for_item(self, item):
        return article_languages(item)

    def lastmod(self, item):
        return item.updated_at


class SectionSitemap(SiteSitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return Section.objects.order_by("order", "pk")


class AuthorSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.3

    def items(self):
        return Author.objects.order_by("pk")


class TopicSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return (
            Topic.objects.filter(articles__in=Article.objects.published()).distinct().order_by("pk")
        )


class StoryFileSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        live = Article.objects.published()
        return StoryFile.objects.filter(articles__in=live).distinct().order_by("pk")


class StaticPageSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.2

    def items(self):
        from pages.models import Page

        return Page.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class HomeSitemap(SiteSitemap):
    changefreq = "always"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, item):
        from django.urls import reverse

        return reverse(item)


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "topics": TopicSitemap,
    "files": StoryFileSitemap,
    "pages": StaticPageSitemap,
}


def sitemaps_for(request) -> dict[str, Sitemap]:
    return {name: cls(request) for name, cls in SITEMAPS.items()}


def news_articles():
    """Published in the last 48 hours, and pages of live coverage still going on, newest first."""
    news = Q(published_at__gte=timezone.now() - NEWS_WINDOW)
    if apps.is_installed("live"):
        # A live page is news while it is updated, whenever it was published. Read through the
        # relation live/ declares (related_name), without importing that app.
        news |= Q(live_coverage__state="live")
    return (
        Article.objects.published()
        .indexable()
        .filter(news)
        .only("slug", "title", "title_ar", "title_en", "published_at")
        .order_by("-published_at", "-id")[:NEWS_LIMIT]
    )
