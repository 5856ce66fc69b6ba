from django.urls import path

import newsroom.converters  # noqa: F401 (registers "uslug")
from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("section/<uslug:slug>/", views.SectionView.as_view(), name="section"),
    path("author/<uslug:slug>/", views.AuthorView.as_view(), name="author"),
    path("topic/<uslug:slug>/", views.TopicView.as_view(), name="topic"),
    path("file/<uslug:slug>/", views.StoryFileView.as_view(), name="story_file"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("news/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("archive/<int:year>/", views.DateArchiveView.as_view(), name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.DateArchiveView.as_view(), name="archive_month"),
    path(
        "archive/<int:year>/<int:month>/<int:day>/",
        views.DateArchiveView.as_view(),
        name="archive_day",
    ),
]
