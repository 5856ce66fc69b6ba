"""Our comment endpoints, mounted at comments/ before django_comments_xtd.urls.

They shadow the library's post, confirm, mute, reply and REST API URLs, so every comment
goes through our checks and every emailed link is short, signed and (for confirmation)
expiring.
"""

from django.urls import path

from caching.csrf import csrf_for_cached_pages
from comments import views

app_name = "comments"
urlpatterns = [
    # The form sits on cached article pages: see caching/csrf.py.
    path("post/", csrf_for_cached_pages(views.post_comment), name="post"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("mute/<str:token>/", views.mute, name="mute"),
    path("reply/<int:cid>/", views.reply, name="reply"),
    # The library's REST API would post around our checks; we have no use for it.
    path("api/<path:rest>", views.no_api, name="no-api"),
]
