from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "counters"
    verbose_name = _("View counter")

    def ready(self):
        from counters.cache import connect_receivers

        connect_receivers()
