"""Restore a backup made by `manage.py backup`, then compare the counts with its manifest."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backups import restore_backup


class Command(BaseCommand):
    help = "Restore a backup folder into the database and media/ (replaces their contents)."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="backup folder (default: the latest)")
        parser.add_argument("--database-name", help="restore into this database instead")
        parser.add_argument("--media-root", help="extract uploads here instead of MEDIA_ROOT")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        folder = options["folder"]
        if not folder:
            candidates = sorted(Path(settings.NEWSROOM_BACKUP_DIR).glob("*/manifest.json"))
            if not candidates:
                raise CommandError(f"No backup in {settings.NEWSROOM_BACKUP_DIR}")
            folder = candidates[-1].parent
        target = options["database_name"] or "the configured database"
        if not options["yes"]:
            answer = input(f"Replace {target} and the uploads with {folder}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Restore cancelled.")
        expected, restored = restore_backup(
            Path(folder), dbname=options["database_name"], media_root=options["media_root"]
        )
        if expected != restored:
            differences = {
                table: (count, restored["tables"].get(table))
                for table, count in expected["tables"].items()
                if restored["tables"].get(table) != count
            }
            raise CommandError(f"Restored counts differ from the backup: {differences}")
        tables = expected["tables"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {folder}: {tables.get('articles_article', 0)} articles, "
                f"{tables.get('django_comments', 0)} comments, "
                f"{expected['article_views']} article views; all {len(tables)} tables match."
            )
        )
