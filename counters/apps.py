from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "counters"
    verbose_name = _("View counter")

    def ready(self):
        from caching.fragments import register_redraw
        from counters.cache import connect_receivers
        from counters.templatetags.counters_tags import REDRAW, most_read

        connect_receivers()
        register_redraw(REDRAW, most_read)  # for kept answers that draw "most read"
