"""Make today's digest and the breaking-news emails that are due, then send what is owed.

Run it from cron every few minutes (``send_digest``), on one machine or several: the daily
digest is made once a day (from NEWSROOM_DIGEST_HOUR, local time), each breaking article is
sent at most once, each subscriber gets each digest once, and deliveries waiting for a mail
server that was down are retried. ``--kind daily`` or ``--kind breaking`` does one job only.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from digests import services


class Command(BaseCommand):
    help = "Make and send the daily digest and breaking news; retry what is waiting."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=("all", "daily", "breaking", "retry"), default="all")
        parser.add_argument(
            "--site-url",
            default=settings.NEWSROOM_SITE_URL,
            help="Origin of the links and images in the emails (default NEWSROOM_SITE_URL).",
        )
        parser.add_argument(
            "--retry-now",
            action="store_true",
            help="Send every waiting delivery now, without waiting for its retry time.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Make nothing, send nothing.")

    def handle(self, *args, kind, site_url, retry_now, dry_run, **options):
        origin = (site_url or "").rstrip("/")
        if not origin.startswith(("http://", "https://")):
            raise CommandError(
                "Set NEWSROOM_SITE_URL or pass --site-url https://example.sy: the emails "
                "need absolute links."
            )
        if dry_run:
            articles = services.daily_articles()
            self.stdout.write(f"Daily digest would list {len(articles)} articles.")
            return
        now = timezone.now()
        if kind in ("all", "daily") and (
            kind == "daily" or timezone.localtime(now).hour >= settings.NEWSROOM_DIGEST_HOUR
        ):
            digest = services.make_daily(origin=origin, now=now)
            if digest is None:
                self.stdout.write("No article for today's digest: none made.")
            elif options["verbosity"] > 1:
                self.stdout.write(f"Daily digest: {digest.subject}")
        if kind in ("all", "breaking"):
            for digest in services.make_breaking(origin=origin, now=now):
                if options["verbosity"] > 1:
                    self.stdout.write(f"Breaking: {digest.subject}")
        report = services.send_pending(origin=origin, retry_now=retry_now)
        summary = f"Sent {report.sent}, waiting to retry {report.retrying}, failed {report.failed}."
        if report.outage:
            self.stderr.write(
                self.style.WARNING(
                    f"{summary} The mail server is not answering ({report.errors[-1]}): "
                    "the rest wait for the next run."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(summary))
