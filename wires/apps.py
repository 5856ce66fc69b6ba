from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WiresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wires"
    verbose_name = _("Wires and the budget")

    def ready(self):
        from django.db.models.signals import post_migrate

        from articles.models import pre_publish
        from articles.roles import ensure_roles
        from wires.checks import withdrawn_wire_blocks_publishing

        pre_publish.connect(withdrawn_wire_blocks_publishing, dispatch_uid="wires-withdrawn")
        # The writers' and editors' roles get the wires and the budget once their permissions
        # exist (articles/roles.py names them).
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="wires.roles")
