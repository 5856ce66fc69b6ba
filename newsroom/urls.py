from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from discovery.urls import root_urlpatterns as discovery_root_urls
from newsroom.views import favicon, robots_txt, root
from ops.metrics import metrics
from ops.views import health
from reach.urls import root_urlpatterns as reach_root_urls
from uploads.views import kept_upload, media

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
    *discovery_root_urls,  # sitemaps, news sitemap, short links
    path("", include("counters.urls")),  # view counter endpoints (/api/views/)
    path("api/v1/", include("api.urls")),  # the public content API
    *reach_root_urls,  # the service worker and the web app manifest
    path("kept-uploads/<str:token>/", kept_upload, name="kept_upload"),  # the desk's thumbnails
]

urlpatterns += i18n_patterns(
    # The desk's account pages (sign-in code, two-factor, sessions): before the admin's own.
    path(settings.NEWSROOM_ADMIN_URL + "account/", include("accounts.urls")),
    path(settings.NEWSROOM_ADMIN_URL, admin.site.urls),
    path("comments/", include("comments.urls")),  # first: shadows the library's post/confirm
    path("comments/", include("django_comments_xtd.urls")),
    path("", include("articles.urls")),
    path("", include("discovery.urls")),  # search, feeds
    path("", include("pages.urls")),  # static pages
    path("", include("live.urls")),  # live coverage: updates endpoint, entries feed
    path("newsletter/", include("digests.urls")),  # subscribe, confirm, unsubscribe
    path("alerts/", include("reach.urls")),  # breaking-news alerts (web push)
    path("", include("frontpage.urls")),  # the editors' preview of a front page layout
    prefix_default_language=True,
)

if settings.NEWSROOM_SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", media, name="media"),
    ]
