from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WiresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wires"
    verbose_name = _("Wires and the budget")

    def ready(self):
        from articles.models import article_notices, pre_publish
        from wires.checks import agency_changes_on_the_form, withdrawn_wire_blocks_publishing

        pre_publish.connect(withdrawn_wire_blocks_publishing, dispatch_uid="wires-withdrawn")
        article_notices.connect(agency_changes_on_the_form, dispatch_uid="wires-agency-changes")
