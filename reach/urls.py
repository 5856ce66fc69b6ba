from django.urls import path

from reach import views

app_name = "reach"
urlpatterns = [
    path("", views.alerts, name="alerts"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("unsubscribe/", views.unsubscribe, name="unsubscribe"),
]

# Outside the language prefix (newsroom/urls.py): a service worker's scope is its folder.
root_urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
