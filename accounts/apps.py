from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class AccountsConfig(AppConfig):
    """Desk accounts: two-factor sign-in, signed-in sessions, the publish record."""

    default = True  # this module also holds django-otp's and django-axes' configs
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Desk accounts")

    def ready(self):
        from django.contrib.auth import signals

        from accounts import publishing, sessions

        signals.user_logged_in.connect(sessions.on_signed_in, dispatch_uid="desk_session_start")
        signals.user_logged_out.connect(sessions.on_signed_out, dispatch_uid="desk_session_end")
        publishing.connect()


# django-otp's two device apps, under names the desk shows in Arabic (the group and user forms
# list their permissions by app and model name, e.g. «رموز الاسترداد | رمز ثابت | …»).
class AuthenticatorAppsConfig(TOTPConfig):
    verbose_name = _("Authenticator apps")


class RecoveryCodesConfig(StaticConfig):
    verbose_name = _("Recovery codes")


class LoginLockoutsConfig(AxesConfig):
    """django-axes under a name editors understand, in their language."""

    verbose_name = _("Login lockouts")


# Their models' names, for our catalogue (django-otp ships none in Arabic).
OTP_MODEL_NAMES = (
    gettext_noop("TOTP device"),
    gettext_noop("static device"),
    gettext_noop("static token"),
)
