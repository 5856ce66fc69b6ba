from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from django.db.models.signals import post_migrate

        from articles.roles import ensure_roles

        # After the permissions exist (auth's post_migrate runs first), and after test flushes.
        post_migrate.connect(ensure_roles, sender=self)

        from articles.cache import connect_receivers

        connect_receivers()
