"""Say whether an account has two-factor sign-in and how to set it up (``make run`` prints it
for the demo admin)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import twofactor


class Command(BaseCommand):
    help = "Tell whether an account has two-factor sign-in, and how to set it up."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--site-url", default="http://127.0.0.1:8000/")

    def handle(self, *args, username, site_url="http://127.0.0.1:8000/", verbosity=1, **options):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(_("No account is named “%(username)s”.") % {"username": username})
        with translation.override(settings.LANGUAGE_CODE):
            enrol_url = site_url.rstrip("/") + reverse("desk_account:enrol")
        if twofactor.is_enrolled(user):
            message = _(
                "Two-factor sign-in: on for %(username)s (%(codes)s recovery codes left). "
                "Lost the phone? manage.py reset_two_factor %(username)s"
            ) % {"username": username, "codes": twofactor.recovery_codes_left(user)}
        elif twofactor.second_factor_required(user):
            message = _(
                "Two-factor sign-in: required for %(username)s and not set up yet. After the "
                "password the desk opens %(url)s : install an authenticator app on your phone "
                "(Google Authenticator, Microsoft Authenticator, Aegis, FreeOTP…), scan the QR "
                "code, type the 6-digit code, and keep the 10 recovery codes. "
                "(NEWSROOM_REQUIRE_2FA=off turns the requirement off.)"
            ) % {"username": username, "url": enrol_url}
        else:
            message = _(
                "Two-factor sign-in: off for %(username)s (not required). To set it up: %(url)s"
            ) % {"username": username, "url": enrol_url}
        if verbosity:
            self.stdout.write(message)
