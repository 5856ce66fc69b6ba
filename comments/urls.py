"""Our comment endpoints, mounted at comments/ before django_comments_xtd.urls.

They shadow the library's post, confirm, mute, reply and REST API URLs, so every comment
goes through our checks and every emailed link is short, signed and (for confirmation)
expiring.
"""

from django.urls import path

from caching.csrf import csrf_for_cached_pages
from comments import views

NOT_OFFERED = (
    "sent/", "posted/", "liked/", "disliked/", "flagged/", "deleted/", "approved/",
    "like/<int:cid>/", "dislike/<int:cid>/", "flag/<int:cid>/", "delete/<int:cid>/",
    "approve/<int:cid>/",
)  # fmt: skip

app_name = "comments"
urlpatterns = [
    # The form sits on cached article pages: see caching/csrf.py.
    path("post/", csrf_for_cached_pages(views.post_comment), name="post"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("mute/<str:token>/", views.mute, name="mute"),
    path("reply/<int:cid>/", views.reply, name="reply"),
    # The library's REST API would post around our checks; we have no use for it.
    path("api/<path:rest>", views.no_api, name="no-api"),
    # Nor for its other pages: likes, flags and its own moderation (the desk moderates), and
    # the pages after them, bare English HTML without the site around it.
    *(path(route, views.not_offered) for route in NOT_OFFERED),
]
