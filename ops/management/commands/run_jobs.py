"""Run the periodic jobs (NEWSROOM_PERIODIC_JOBS), each once per period across all servers.

Start one beside every app server (``manage.py run_jobs``): any number may run at once, a
PostgreSQL advisory lock and a unique row per period make each job run once (ops/jobs.py).
At every pass each runner also runs NEWSROOM_EVERY_PASS_JOBS (the outbox's sending).
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ops.jobs import run_due, run_every_pass


class Command(BaseCommand):
    help = "Run due periodic jobs once per period across all app servers (loops unless --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument(
            "--every",
            type=float,
            default=None,
            help="Seconds between passes (NEWSROOM_JOBS_TICK_SECONDS by default).",
        )
        parser.add_argument(
            "--for", dest="duration", type=float, default=None, help="Stop after this many seconds."
        )

    def handle(self, *args, once=False, every=None, duration=None, verbosity=1, **options):
        every = every or settings.NEWSROOM_JOBS_TICK_SECONDS
        stop_at = time.monotonic() + duration if duration else None
        while True:
            try:
                ran = run_due()
                run_every_pass()  # not printed: they run at every pass
            except Exception as exc:  # the primary is away: try again next pass
                self.stderr.write(f"periodic jobs: {type(exc).__name__}: {exc}")
                close_old_connections()
                ran = None
            if verbosity >= 1 and ran is not None:
                self.stdout.write(f"ran: {', '.join(ran) or '-'}")
                self.stdout.flush()
            if once or (stop_at is not None and time.monotonic() >= stop_at):
                return
            time.sleep(every)
            close_old_connections()
