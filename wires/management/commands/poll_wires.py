"""Poll the agency feeds that are due (a periodic job of run_jobs; see NEWSROOM_PERIODIC_JOBS)."""

from django.core.management.base import BaseCommand

from wires.services import poll_due_feeds


class Command(BaseCommand):
    help = "Poll the agency feeds that are due and store their new and changed items."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Poll every active feed now.")

    def handle(self, *args, **options):
        counts = poll_due_feeds(force=options["all"])
        if options["verbosity"]:
            summary = ", ".join(f"{key}: {value}" for key, value in sorted(counts.items()))
            self.stdout.write(self.style.SUCCESS(f"wires polled ({summary or 'nothing due'})"))
