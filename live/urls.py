from django.urls import path

from live import views

app_name = "live"

urlpatterns = [
    path("live/<int:article_id>/updates/", views.updates, name="updates"),
    path("live/<int:article_id>/feed/", views.entries_feed, name="feed"),
]
