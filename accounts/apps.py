from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Desk accounts: two-factor sign-in, signed-in sessions, the publish record."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Desk accounts")

    def ready(self):
        from django.contrib.auth import signals

        from accounts import publishing, sessions

        signals.user_logged_in.connect(sessions.on_signed_in, dispatch_uid="desk_session_start")
        signals.user_logged_out.connect(sessions.on_signed_out, dispatch_uid="desk_session_end")
        publishing.connect()
