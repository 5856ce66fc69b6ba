from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from articles.views import bad_view_id, record_view, record_view_pixel
from newsroom.views import root

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("", root, name="root"),
    path("i18n/", include("django.conf.urls.i18n")),
    # View counter endpoints: outside i18n_patterns, the same URL for every language.
    path("api/views/<int:article_id>/", record_view, name="record_view"),
    path("api/views/<int:article_id>/pixel.gif", record_view_pixel, name="record_view_pixel"),
    re_path(r"^api/views/(?P<raw>[^/]*)/(?:pixel\.gif)?$", bad_view_id, name="bad_view_id"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
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
