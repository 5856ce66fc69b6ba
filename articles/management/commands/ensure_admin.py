"""Create the local admin account once and print how to log in.

The password is generated on first run and kept in .local/admin_password (git-ignored).
Set NEWSROOM_ADMIN_PASSWORD to choose it instead.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the local admin account if missing and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--site-url", default="http://127.0.0.1:8000/", help="Where it serves.")

    def handle(self, *args, site_url="http://127.0.0.1:8000/", verbosity=1, **options):
        username = os.environ.get("NEWSROOM_ADMIN_USER", "admin")
        password_file = settings.LOCAL_DIR / "admin_password"
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            password = os.environ.get("NEWSROOM_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            User.objects.create_superuser(username, f"{username}@localhost", password)
            settings.LOCAL_DIR.mkdir(exist_ok=True)
            password_file.write_text(password)
            password_file.chmod(0o600)
        password = password_file.read_text().strip() if password_file.exists() else "(unchanged)"
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Admin: {site_url.rstrip('/')}/ar/admin/  "
                    f"user: {username}  password: {password}"
                )
            )
