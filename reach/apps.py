from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reach"
    verbose_name = _("Off-site channels")

    def ready(self):
        from reach.receivers import connect_receivers

        connect_receivers()
