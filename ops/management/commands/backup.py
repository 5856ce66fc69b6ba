"""Back up the database (pg_dump) and the uploads (tar) into NEWSROOM_BACKUP_DIR, saying each
step and its duration on stderr (ops/backups.py).
"""

import time

from django.core.management.base import BaseCommand

from ops.backups import create_backup


class Command(BaseCommand):
    help = "Back up the database and media/ into a timestamped folder (see ops/backups.py)."

    def add_arguments(self, parser):
        parser.add_argument("--to", help="folder for the backup (default NEWSROOM_BACKUP_DIR)")

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(message):
            if options["verbosity"] >= 1:
                self.stderr.write(message)

        folder = create_backup(options["to"], progress=progress)
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backup written to {folder} in {time.monotonic() - started:,.1f} s"
                )
            )
        return None
