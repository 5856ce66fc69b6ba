from django.urls import path

from frontpage import views

app_name = "frontpage"
urlpatterns = [
    path("front-page/preview/", views.PreviewView.as_view(), name="preview"),
    path("front-page/preview/<int:pk>/", views.PreviewView.as_view(), name="preview_layout"),
]
