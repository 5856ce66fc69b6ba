"""Keep every published article's answer in the page cache ahead of its readers and crawlers.

An archive's long tail (crawlers walking it, old links shared again) asks for articles nobody
asked for lately: each such request renders the whole article (about 20 ms of CPU). An
answer kept as a recipe (caching/fragments.py) lasts until the article changes or
NEWSROOM_KEPT_ANSWER_SECONDS pass, whatever the ticker and "most read" do, so it can be made
ahead: this command asks for each article's page through Django's own request handler, as a
reader without a session would (newest first; Arabic, and English where the article has
it), and so stores what the next reader or crawler is served. An answer already kept is a
hit and costs little, so a run after a deploy, or a nightly one, only renders what changed.

    manage.py keep_answers --origin https://example.org [--jobs 2] [--limit 10000]

``--origin`` is the site's address as readers reach it (NEWSROOM_SITE_URL by default): the
page cache keeps an answer per host, and its links are absolute. ``--jobs N`` runs N
processes, each keeping every N-th article (``--shard``).
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http.request import split_domain_port, validate_host
from django.test import Client
from django.utils import translation

from articles.models import Article


class Command(BaseCommand):
    help = "Keep every published article's answer in the page cache ahead of its readers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--origin",
            default=getattr(settings, "NEWSROOM_SITE_URL", "") or "",
            help="The site's address as readers reach it, e.g. https://example.org.",
        )
        parser.add_argument("--limit", type=int, default=0, help="The newest N articles only.")
        parser.add_argument("--jobs", type=int, default=1, help="Processes to share the work.")
        parser.add_argument("--shard", default="0/1", help="This process's share: I/N.")

    def handle(self, *args, origin, limit, jobs, shard, verbosity=1, **options):
        address = urlsplit(origin)
        if address.scheme not in ("http", "https") or not address.netloc:
            raise CommandError(
                "--origin must be the site's address as readers reach it, e.g. "
                "https://example.org (or set NEWSROOM_SITE_URL)."
            )
        if not validate_host(split_domain_port(address.netloc)[0], settings.ALLOWED_HOSTS):
            raise CommandError(
                f"{address.netloc} is not one of the site's hosts (DJANGO_ALLOWED_HOSTS): "
                "its readers could not reach these answers."
            )
        if not settings.NEWSROOM_PAGE_CACHE_ENABLED:
            raise CommandError("The page cache is off (NEWSROOM_PAGE_CACHE=0): nothing to keep.")
        if limit < 0 or jobs < 1:
            raise CommandError("--limit must be 0 (every article) or more, --jobs 1 or more.")
        index, count = self.share(shard)
        if jobs > 1:
            return self.run_jobs(origin, limit, jobs, verbosity)
        # One line per page in the request log would bury the summary: warnings still show.
        request_log = logging.getLogger("newsroom.requests")
        level = request_log.level
        request_log.setLevel(logging.WARNING)
        try:
            self.keep(address, limit, index, count, verbosity)
        finally:
            request_log.setLevel(level)

    def keep(self, address, limit: int, index: int, count: int, verbosity: int) -> None:
        started = time.monotonic()
        client = Client(HTTP_HOST=address.netloc, raise_request_exception=False)
        secure = address.scheme == "https"
        tally = {"miss": 0, "hit": 0, "other": 0, "failed": 0}
        for path in self.paths(limit, index, count):
            client.cookies.clear()  # every request as a new reader's
            response = client.get(path, secure=secure)
            if response.status_code != 200:
                tally["failed"] += 1
                self.stderr.write(f"{path}: answered {response.status_code}")
                continue
            state = response.get("X-Page-Cache", "")
            tally[state if state in ("hit", "miss") else "other"] += 1
            if state not in ("hit", "miss"):  # e.g. changed while it was rendered: next time
                self.stderr.write(f"{path}: not kept ({state or 'not cacheable'})")
        if verbosity:
            self.stdout.write(
                f"kept {tally['miss']:,} answers, {tally['hit']:,} already kept, "
                f"{tally['other'] + tally['failed']:,} not kept, in "
                f"{time.monotonic() - started:.0f} s (shard {index}/{count})"
            )
        if tally["failed"]:
            raise CommandError(f"{tally['failed']:,} pages did not answer 200 (listed above).")

    @staticmethod
    def share(shard: str) -> tuple[int, int]:
        """``I/N``: this process keeps every N-th article, starting with the I-th (0 ≤ I < N)."""
        index, _, count = shard.partition("/")
        if not (index.isdigit() and count.isdigit() and int(index) < int(count)):
            raise CommandError(f"--shard must be I/N with 0 ≤ I < N, e.g. 0/2 (not {shard!r}).")
        return int(index), int(count)

    @staticmethod
    def paths(limit: int, index: int, count: int):
        """Each published article's page, newest first: Arabic, then English where it has
        it (the English edition lists those only when NEWSROOM_EN_SHOWS_ARABIC is off)."""
        articles = Article.objects.published().order_by("-published_at", "-id")
        articles = articles.only("id", "slug", "title_en")
        if limit:
            articles = articles[:limit]
        languages = [code for code, _name in settings.LANGUAGES]
        for position, article in enumerate(articles.iterator(chunk_size=2000)):
            if position % count != index:
                continue
            for language in languages:
                if language != settings.LANGUAGE_CODE and not article.title_en:
                    continue
                with translation.override(language):
                    yield article.get_absolute_url()

    def run_jobs(self, origin: str, limit: int, jobs: int, verbosity: int) -> None:
        command = [sys.executable, sys.argv[0], "keep_answers", f"--origin={origin}"]
        command += [f"--limit={limit}", f"--verbosity={verbosity}"]
        workers = [subprocess.Popen([*command, f"--shard={index}/{jobs}"]) for index in range(jobs)]
        failed = [index for index, worker in enumerate(workers) if worker.wait() != 0]
        if failed:
            raise CommandError(f"shards {failed} of {jobs} failed (see above).")
