"""Back up the database (pg_dump) and the uploads (tar) into NEWSROOM_BACKUP_DIR."""

from django.core.management.base import BaseCommand

from newsroom.backups import create_backup


class Command(BaseCommand):
    help = "Back up the database and media/ into a timestamped folder (see newsroom/backups.py)."

    def add_arguments(self, parser):
        parser.add_argument("--to", help="folder for the backup (default NEWSROOM_BACKUP_DIR)")

    def handle(self, *args, **options):
        folder = create_backup(options["to"])
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
        return None
