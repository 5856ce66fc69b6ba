from django.urls import path

import newsroom.converters  # noqa: F401 (registers "uslug")
from articles import cache
from caching.pagecache import cached_page
from discovery import feeds, views

# Feeds are cached pages too: refreshed by any change they may show, and when the next
# scheduled article goes live (articles/cache.py).
kept_feed = cached_page(cache.feed_tags, expires_at=cache.next_scheduled_publication)

app_name = "discovery"
urlpatterns = [
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
    path("topic/<uslug:slug>/feed/", kept_feed(feeds.TopicFeed()), name="topic_feed"),
    path("file/<uslug:slug>/feed/", kept_feed(feeds.StoryFileFeed()), name="story_file_feed"),
    path(
        "file/<uslug:slug>/feed/atom/",
        kept_feed(feeds.StoryFileAtomFeed()),
        name="story_file_feed_atom",
    ),
    path("topic/<uslug:slug>/feed/atom/", kept_feed(feeds.TopicAtomFeed()), name="topic_feed_atom"),
    path(
        "author/<uslug:slug>/feed/atom/", kept_feed(feeds.AuthorAtomFeed()), name="author_feed_atom"
    ),
]

# Outside the language prefix (newsroom/urls.py): one address for every language.
root_urlpatterns = [
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    path("a/<int:pk>", views.short_link, name="short_link"),
    path("a/<int:pk>/card-<slug:digest>.png", views.share_card, name="share_card"),
    path(
        "a/<int:pk>/<slug:language>/card-<slug:digest>.png",
        views.share_card,
        name="share_card_in",
    ),
    path("a/<int:pk>/<slug:language>", views.short_link, name="short_link_in"),
]
