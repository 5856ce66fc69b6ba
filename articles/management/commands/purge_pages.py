"""Mark cached pages stale: every page (default), or those carrying the given tags.

For writes that bypass model signals (bulk imports, raw SQL): ``manage.py purge_pages`` after
an import, or ``manage.py purge_pages --tag home --tag section-list:3``.
"""

from django.core.management.base import BaseCommand

from caching.pagecache import SITE_TAG, bump_now


class Command(BaseCommand):
    help = "Mark cached pages stale: all of them, or those carrying the given tags."

    def add_arguments(self, parser):
        parser.add_argument("--tag", action="append", default=[], help="e.g. article:12, home")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, tag=(), dry_run=False, verbosity=1, **options):
        what = f"pages tagged {', '.join(tag)}" if tag else "every cached page"
        if dry_run:
            self.stdout.write(f"Would mark {what} stale.")
            return
        # Never cache.clear(): other apps may keep data in the same cache.
        bump_now(*(tag or [SITE_TAG]))
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Marked {what} stale."))
