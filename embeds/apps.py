from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmbedsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "embeds"
    verbose_name = _("Embeds")

    def ready(self):
        from django.db.models.signals import post_migrate

        from embeds.cache import connect_receivers
        from embeds.roles import ensure_editor_permissions

        connect_receivers()
        # After the permissions and the editorial groups exist, and after test flushes.
        post_migrate.connect(ensure_editor_permissions, sender=self)
