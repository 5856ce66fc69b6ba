"""Reset an account's second factor, for a lost phone.

Removes the account's authenticator and recovery codes, clears its wrong-code lockouts and ends
all its sessions; logged to ``newsroom.audit`` with the operating-system user who ran it. At the
next sign-in the account sets up a new authenticator (if its role requires one).
"""

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts import twofactor
from accounts.models import DeskSession


class Command(BaseCommand):
    help = "Reset a desk account's second factor (lost phone): devices, codes, sessions."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The account's username.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be removed; change nothing."
        )

    def handle(self, *args, username, dry_run=False, verbosity=1, **options):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(_("No account is named “%(username)s”.") % {"username": username})
        enrolled = twofactor.is_enrolled(user)
        open_sessions = DeskSession.objects.active().filter(user=user).count()
        if dry_run:
            if verbosity:
                self.stdout.write(
                    _(
                        "Dry run: %(username)s: authenticator %(state)s, %(codes)s recovery "
                        "codes, %(sessions)s open sessions. Nothing changed."
                    )
                    % {"username": username, "state": _("set up") if enrolled else _("none"),
                       "codes": twofactor.recovery_codes_left(user), "sessions": open_sessions}
                )  # fmt: skip
            return
        try:
            operator = getpass.getuser()
        except (KeyError, OSError):
            operator = "unknown"
        twofactor.reset_second_factor(user=user, via=f"manage.py reset_two_factor ({operator})")
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "The second factor of %(username)s is reset and its sessions are "
                        "ended (%(sessions)s). At the next sign-in it sets up a new "
                        "authenticator app."
                    )
                    % {"username": username, "sessions": open_sessions}
                )
            )
