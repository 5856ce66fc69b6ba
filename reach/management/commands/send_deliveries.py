"""Send what the outbox owes the channels (Telegram), from every jobs runner at every pass.

``run_jobs`` calls it each pass on every app server (NEWSROOM_EVERY_PASS_JOBS): runners share
the work through ``SELECT … FOR UPDATE SKIP LOCKED`` (reach/outbox.py), so any number may run.
It first owes what scheduled articles that went live need, then sends what is due.
"""

from django.core.management.base import BaseCommand

from reach import outbox


class Command(BaseCommand):
    help = "Owe what newly live articles need, then send due off-site deliveries (Telegram)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=200, help="At most this many deliveries in one run."
        )

    def handle(self, *args, limit=200, verbosity=1, **options):
        swept = outbox.sweep()
        report = outbox.send_due(limit=limit)
        if verbosity >= 1 and (swept or report.sent or report.retrying or report.failed):
            self.stdout.write(
                f"articles owed {swept}, sent {report.sent}, waiting to retry "
                f"{report.retrying}, failed {report.failed}"
            )
        for error in report.errors if verbosity >= 2 else ():
            self.stderr.write(error)
