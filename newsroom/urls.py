from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from django_comments.views.comments import post_comment

from newsroom.csrf import csrf_for_cached_pages
from newsroom.views import root

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("", root, name="root"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # Comment forms sit on cached article pages: see newsroom/csrf.py.
    path("comments/post/", csrf_for_cached_pages(post_comment), name="comments-post-comment"),
    path("comments/", include("django_comments_xtd.urls")),
    path("", include("articles.urls")),
    prefix_default_language=True,
)

if settings.NEWSROOM_SERVE_MEDIA:
    urlpatterns += [
        re_path(
            r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="media"
        ),
    ]
