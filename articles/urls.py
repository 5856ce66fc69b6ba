from django.urls import path, register_converter

from articles import feeds, views


class UnicodeSlugConverter:
    """Slugs made by ``slugify(allow_unicode=True)``: letters of any script, digits, - and _."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("section/<uslug:slug>/", views.SectionView.as_view(), name="section"),
    path("author/<uslug:slug>/", views.AuthorView.as_view(), name="author"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("news/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("section/<uslug:slug>/feed/", feeds.SectionFeed(), name="section_feed"),
    path("section/<uslug:slug>/feed/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("author/<uslug:slug>/feed/", feeds.AuthorFeed(), name="author_feed"),
    path("author/<uslug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
]
