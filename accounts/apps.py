from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Desk accounts: two-factor sign-in, signed-in sessions, the publish record."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Desk accounts")

    def ready(self):
        from django.contrib.auth import signals

        from accounts import publishing, sessions, twofactor

        def signed_in(sender, request, user, **kwargs):
            if request is None or not hasattr(request, "session"):
                return
            sessions.start(request, user)
            request.session[twofactor.ENROLLED_SESSION_KEY] = twofactor.is_enrolled(user)

        def signed_out(sender, request, user, **kwargs):
            if request is not None:
                sessions.signed_out(request)

        signals.user_logged_in.connect(signed_in, dispatch_uid="desk_session_start")
        signals.user_logged_out.connect(signed_out, dispatch_uid="desk_session_end")
        publishing.connect()
