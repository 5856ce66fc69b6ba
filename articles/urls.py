from django.urls import path, register_converter

from articles import cache, feeds, views
from newsroom.pagecache import cached_page


class UnicodeSlugConverter:
    """Slugs made by ``slugify(allow_unicode=True)``: letters of any script, digits, - and _."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

# Feeds are cached pages too: refreshed by any change they may show, and when the next
# scheduled article goes live (articles/cache.py).
kept_feed = cached_page(cache.feed_tags, expires_at=cache.next_scheduled_publication)

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("section/<uslug:slug>/", views.SectionView.as_view(), name="section"),
    path("author/<uslug:slug>/", views.AuthorView.as_view(), name="author"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("news/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", kept_feed(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", kept_feed(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path("section/<uslug:slug>/feed/", kept_feed(feeds.SectionFeed()), name="section_feed"),
    path(
        "section/<uslug:slug>/feed/atom/",
        kept_feed(feeds.SectionAtomFeed()),
        name="section_feed_atom",
    ),
    path("author/<uslug:slug>/feed/", kept_feed(feeds.AuthorFeed()), name="author_feed"),
    path(
        "author/<uslug:slug>/feed/atom/", kept_feed(feeds.AuthorAtomFeed()), name="author_feed_atom"
    ),
]
