from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmbedsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "embeds"
    verbose_name = _("Embeds")

    def ready(self):
        from django.db.models.signals import post_migrate

        from articles.roles import ensure_roles
        from embeds.cache import connect_receivers

        connect_receivers()
        # The editors' role gets this app's permissions once they exist (articles/roles.py).
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="embeds.roles")
