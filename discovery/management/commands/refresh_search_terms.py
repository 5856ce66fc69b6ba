"""Rebuild the vocabulary behind the search's «did you mean…» from the published archive.

Run it after imports and then nightly (cron); it takes seconds for thousands of articles
and a minute or two for a hundred thousand.
"""

from django.core.management.base import BaseCommand

from discovery.search import refresh_search_terms


class Command(BaseCommand):
    help = "Rebuild the search suggestions' vocabulary from published articles."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-documents",
            type=int,
            default=1,
            help="Keep only words found in at least this many articles (default 1).",
        )

    def handle(self, *args, min_documents=1, verbosity=1, **options):
        count = refresh_search_terms(min_documents=min_documents)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Search vocabulary rebuilt: {count} words."))
