"""Forget dedup rows of the view counter once their window has passed; fold past days.

Run it every few minutes from cron to keep ``articles_viewreader`` small. The counter does
the same once a day by itself, when the daily salt rotates, and then also folds the shard
rows of past days into one row per article and day (``--compact`` does that now).

Both work in batches (``--batch-size`` rows per statement, each committed on its own) under
the jobs' statement timeout (ops/maintenance.py), not the web's, with progress on
stderr every ten seconds or so (every batch at ``-v 2``).
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from counters.models import ViewReader
from counters.readers import compact_days, dedup_window, purge_readers
from ops.maintenance import job_session


class Command(BaseCommand):
    help = "Delete view-counter dedup rows older than NEWSROOM_VIEW_WINDOW_MINUTES."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the rows without deleting them."
        )
        parser.add_argument(
            "--compact", action="store_true", help="Also fold past days' shard rows."
        )

        parser.add_argument(
            "--batch-size", type=int, default=50_000, help="Rows deleted per statement."
        )

    def handle(
        self, *args, dry_run=False, compact=False, batch_size=50_000, verbosity=1, **options
    ):
        started = time.monotonic()
        shown = [started]

        def progress(what):
            def report(done):
                now = time.monotonic()
                if verbosity >= 2 or (verbosity >= 1 and now - shown[0] >= 10):
                    shown[0] = now
                    self.stderr.write(f"{what}: {done:,} ({now - started:,.0f} s)")

            return report

        if dry_run:
            cutoff = timezone.now() - dedup_window()
            count = ViewReader.objects.filter(seen_at__lt=cutoff).count()
            verb = "Would delete"
        else:
            # In batches, each its own transaction, under the jobs' statement timeout.
            with job_session():
                count = purge_readers(
                    batch_size=batch_size, progress=progress("expired dedup rows deleted")
                )
                if compact:
                    folded = compact_days(
                        before=timezone.localdate(),
                        batch_size=batch_size,
                        progress=progress("shard rows of past days folded"),
                    )
            verb = "Deleted"
        if verbosity >= 1:
            done = f"{verb} {count} expired dedup rows"
            if compact and not dry_run:
                done += f", folded {folded} shard rows of past days"
            self.stdout.write(self.style.SUCCESS(f"{done} in {time.monotonic() - started:.1f} s."))
