from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "live"
    verbose_name = _("Live coverage")

    def ready(self):
        from django.db.models.signals import post_migrate

        from live.roles import ensure_editor_permissions

        # After the permissions and the editorial groups exist, and after test flushes.
        post_migrate.connect(ensure_editor_permissions, sender=self)
