from django.urls import path, register_converter

from articles import views


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
]
