"""Rebuild the vocabulary behind the search's «did you mean…» from the published archive.

Run it after imports and then nightly (cron); it takes seconds for thousands of articles
and a minute or two for a hundred thousand. It reads the archive in batches, under the
jobs' statement timeout (ops/maintenance.py), not the web's, and shows its progress.
"""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from discovery.search import refresh_search_terms
from ops.maintenance import job_session


class Command(BaseCommand):
    help = "Rebuild the search suggestions' vocabulary from published articles."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-documents",
            type=int,
            default=1,
            help="Keep only words found in at least this many articles (default 1).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=20_000, help="Articles read per statement."
        )

    def handle(self, *args, min_documents=1, batch_size=20_000, verbosity=1, **options):
        started = time.monotonic()

        def progress(done, total):
            if verbosity >= 1:
                self.stderr.write(
                    _("%(done)d / %(total)d articles read (%(seconds).0f s)")
                    % {"done": done, "total": total, "seconds": time.monotonic() - started}
                )

        with job_session():
            count = refresh_search_terms(
                min_documents=min_documents, batch_size=batch_size, progress=progress
            )
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Search vocabulary rebuilt: %(count)d words in %(seconds).1f s.")
                    % {"count": count, "seconds": time.monotonic() - started}
                )
            )
