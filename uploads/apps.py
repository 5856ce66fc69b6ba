from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    """Image uploads: judged, re-encoded, renditions, kept for returned forms, storage."""

    name = "uploads"
    verbose_name = _("Uploads")

    def ready(self):
        from uploads import reencode  # noqa: F401  (connects its pre_save receiver)
