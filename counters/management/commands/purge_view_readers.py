"""Forget dedup rows of the view counter once their window has passed; fold past days.

Run it every few minutes from cron to keep ``articles_viewreader`` small. The counter does
the same once a day by itself, when the daily salt rotates, and then also folds the shard
rows of past days into one row per article and day (``--compact`` does that now).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from counters.models import ViewReader
from counters.readers import compact_days, dedup_window, purge_readers
from newsroom.maintenance import job_session


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
        def progress(deleted):
            if verbosity >= 2:
                self.stderr.write(f"{deleted} …")

        if dry_run:
            cutoff = timezone.now() - dedup_window()
            count = ViewReader.objects.filter(seen_at__lt=cutoff).count()
            verb = "Would delete"
        else:
            # In batches, each its own transaction, under the jobs' statement timeout.
            with job_session():
                count = purge_readers(batch_size=batch_size, progress=progress)
                if compact:
                    with transaction.atomic():
                        compact_days(before=timezone.localdate())
            verb = "Deleted"
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"{verb} {count} expired dedup rows."))
