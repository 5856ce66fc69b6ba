from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CachingConfig(AppConfig):
    """The page cache, kept fragments, the cache backends and the cache tags."""

    name = "caching"
    verbose_name = _("Caching")
