"""The view counter's endpoints: outside i18n_patterns, the same URL for every language
(counters/wsgi.py answers the same paths before Django in production)."""

from django.urls import path, re_path

from counters import views

urlpatterns = [
    path("api/views/<int:article_id>/", views.record_view, name="record_view"),
    path("api/views/<int:article_id>/pixel.gif", views.record_view_pixel, name="record_view_pixel"),
    re_path(r"^api/views/(?P<raw>[^/]*)/(?:pixel\.gif)?$", views.bad_view_id, name="bad_view_id"),
]
