from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmbedsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "embeds"
    verbose_name = _("Embeds")

    def ready(self):
        from embeds.cache import connect_receivers

        connect_receivers()
