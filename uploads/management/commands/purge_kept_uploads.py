"""Delete the images kept for returned forms (``pending/`` in the media storage) once they
are older than NEWSROOM_KEPT_UPLOAD_SECONDS (a day): their tokens have expired by then.

A periodic job (NEWSROOM_PERIODIC_JOBS, run by ``manage.py run_jobs``); see
uploads/kept.py.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from uploads.kept import purge


class Command(BaseCommand):
    help = "Delete kept form uploads (pending/) older than NEWSROOM_KEPT_UPLOAD_SECONDS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the files without deleting them."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        age = timedelta(seconds=settings.NEWSROOM_KEPT_UPLOAD_SECONDS)
        count = purge(older_than=age, dry_run=dry_run)
        if verbosity >= 1:
            verb = "Would delete" if dry_run else "Deleted"
            self.stdout.write(self.style.SUCCESS(f"{verb} {count} kept uploads."))
