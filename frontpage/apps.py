from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontpageConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "frontpage"
    verbose_name = _("Front page")

    def ready(self):
        from django.db.models.signals import post_migrate

        from articles.roles import ensure_roles

        # The editors' role gets this app's permissions once they exist (articles/roles.py).
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="frontpage.roles")

        from articles.views import HomeView, SectionView
        from frontpage import cache
        from frontpage.layout import HomeLayout

        cache.connect_receivers()
        # The home and section pages ask it whether a layout is live (articles never imports us).
        HomeView.front_page_layout = SectionView.front_page_layout = HomeLayout()
