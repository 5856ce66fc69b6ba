from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "desk"
    verbose_name = _("The desk together")

    def ready(self):
        from caching.fragments import register_redraw
        from desk.cache import connect_receivers
        from desk.templatetags.desk_tags import REDRAW, breaking_ticker

        connect_receivers()
        register_redraw(REDRAW, breaking_ticker)  # for kept answers that draw the ticker
