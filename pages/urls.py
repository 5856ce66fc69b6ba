from django.urls import path

import newsroom.converters  # noqa: F401 (registers "uslug")
from pages import views

app_name = "pages"
urlpatterns = [
    path("page/<uslug:slug>/", views.PageView.as_view(), name="detail"),
]
