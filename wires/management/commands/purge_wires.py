"""Delete old wire items nobody took (a periodic job of run_jobs; NEWSROOM_WIRES_KEEP_DAYS)."""

from django.core.management.base import BaseCommand

from wires.services import purge_wires


class Command(BaseCommand):
    help = "Delete wire items older than NEWSROOM_WIRES_KEEP_DAYS that no draft was taken from."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, **options):
        count = purge_wires(dry_run=options["dry_run"])
        if options["verbosity"]:
            verb = "would delete" if options["dry_run"] else "deleted"
            self.stdout.write(self.style.SUCCESS(f"wires: {verb} {count} old items"))
