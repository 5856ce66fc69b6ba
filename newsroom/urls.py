from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from articles import views as article_views
from articles.views import bad_view_id, record_view, record_view_pixel
from newsroom.metrics import metrics
from newsroom.views import favicon, health, media, robots_txt, root

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

handler500 = "newsroom.views.server_error"

urlpatterns = [
    path("", root, name="root"),
    path("health/", health, name="health"),
    path("metrics/", metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("sitemap.xml", article_views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", article_views.sitemap_section, name="sitemap_section"),
    path("news-sitemap.xml", article_views.news_sitemap, name="news_sitemap"),
    path("a/<int:pk>", article_views.short_link, name="short_link"),
    path("a/<int:pk>/<slug:language>", article_views.short_link, name="short_link_in"),
    # View counter endpoints: outside i18n_patterns, the same URL for every language.
    path("api/views/<int:article_id>/", record_view, name="record_view"),
    path("api/views/<int:article_id>/pixel.gif", record_view_pixel, name="record_view_pixel"),
    re_path(r"^api/views/(?P<raw>[^/]*)/(?:pixel\.gif)?$", bad_view_id, name="bad_view_id"),
]

urlpatterns += i18n_patterns(
    path(settings.NEWSROOM_ADMIN_URL, admin.site.urls),
    path("comments/", include("comments.urls")),  # first: shadows the library's post/confirm
    path("comments/", include("django_comments_xtd.urls")),
    path("", include("articles.urls")),
    prefix_default_language=True,
)

if settings.NEWSROOM_SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", media, name="media"),
    ]
