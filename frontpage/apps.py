from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontpageConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "frontpage"
    verbose_name = _("Front page")

    def ready(self):
        from articles.views import HomeView, SectionView
        from frontpage import cache
        from frontpage.layout import HomeLayout

        cache.connect_receivers()
        # The home and section pages ask it whether a layout is live (articles never imports us).
        HomeView.front_page_layout = SectionView.front_page_layout = HomeLayout()
