"""/api/v1/: outside i18n_patterns (the language is a parameter). /api/views/ belongs to the
view counter (counters/urls.py)."""

from django.urls import path, re_path

from api import endpoint, views

app_name = "api"
urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("articles/", views.ArticleList.as_view(), name="article-list"),
    path("articles/<int:pk>/", views.ArticleDetail.as_view(), name="article-detail"),
    path("sections/", views.SectionList.as_view(), name="section-list"),
    path("sections/<int:pk>/", views.SectionDetail.as_view(), name="section-detail"),
    path("authors/", views.AuthorList.as_view(), name="author-list"),
    path("authors/<int:pk>/", views.AuthorDetail.as_view(), name="author-detail"),
    path("most-read/", views.MostRead.as_view(), name="most-read"),
    path("search/", views.Search.as_view(), name="search"),
    path("openapi.json", views.OpenApiSchema.as_view(), name="openapi"),
    path("docs/", views.ApiDocs.as_view(), name="docs"),
    # Not done yet (built in parallel): topics/, files/ (story files), live/<id>/entries/.
    re_path(r"^.*$", endpoint.api_not_found, name="not-found"),
]
