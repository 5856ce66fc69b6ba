from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmbedsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "embeds"
    verbose_name = _("Embeds")

    def ready(self):
        from articles.models import check_body
        from embeds.cache import connect_receivers
        from embeds.services import gallery_code_problem

        connect_receivers()
        check_body.connect(gallery_code_problem, dispatch_uid="embeds-gallery-codes")
