from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    default = True  # this module also holds LoginLockoutsConfig
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from newsroom import audit  # noqa: F401  (connects its signal receivers)


class LoginLockoutsConfig(AxesConfig):
    """django-axes under a name editors understand, in their language."""

    verbose_name = _("Login lockouts")
