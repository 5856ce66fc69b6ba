from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RedirectsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "redirects"
    verbose_name = _("Redirects")

    def ready(self):
        from django.db.models.signals import post_migrate

        from articles.roles import ensure_roles
        from redirects import receivers

        receivers.connect()
        # The editors' role gets the redirect manager once its permissions exist.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="redirects.roles")
