from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from django.db.models.signals import post_migrate, pre_save

        from articles.text import neutralise_text_fields

        # Every model's text, whichever app it is in: no control character or bidi override
        # is stored (articles/text.py).
        pre_save.connect(neutralise_text_fields, dispatch_uid="articles.text.neutralise")

        from articles.roles import ensure_roles

        # Every app's signal; it acts on the last one's, when every permission exists. After
        # each migrate and each test flush.
        post_migrate.connect(ensure_roles, dispatch_uid="articles.roles")

        from articles.cache import connect_receivers

        connect_receivers()
