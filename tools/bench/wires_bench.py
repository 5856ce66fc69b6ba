"""Wires benchmark: 10,000 generated agency items ingested from a loopback agency.

    .venv/bin/python tools/bench/wires_bench.py [--items 10000] [--per-feed 1000]

The items are split over feeds of ``--per-feed`` items in the four formats in turn (RSS 2.0,
Atom, NewsML-G2, ninjs), served by a threaded HTTP server on 127.0.0.1 and polled the way
``run_jobs`` polls them (``wires.services.poll_due_feeds``: fetch, parse, store). Then a
second poll (every feed answers 304) and a third after the agency updated a tenth of the
items. Prints items per second, the process's resident memory after each feed and its peak.
Runs in its own database, ``bench_wires``, on the site's PostgreSQL (emptied first).

Exits non-zero, naming the part, when a part fails: an item stored twice or missing, a feed
not answering 304, an update not seen, fewer than 1,000 items/s, or memory growing by more
than 64 MiB between the first feed and the last (memory must stay flat).
"""

import argparse
import hashlib
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

BASE_DIR = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(BASE_DIR))
BENCH_DB = "bench_wires"
FORMATS = ("rss", "atom", "newsml-g2", "ninjs")
GOAL_ITEMS_PER_SECOND = 1000
MEMORY_GROWTH_LIMIT_MIB = 64
WORDS = (
    "الحكومة", "المحافظة", "الأمطار", "الطريق", "المدرسة", "المستشفى", "السوق", "المزارعون",
    "الموسم", "الجسر", "الكهرباء", "المياه", "الاجتماع", "الوزير", "البلدية", "المهرجان",
    "المنتخب", "الجامعة", "الطلاب", "الأسعار", "القمح", "الزيتون", "المعرض", "الميناء",
)  # fmt: skip


class Failure(Exception):
    """A part of the bench failed; the message names it."""


def sentence(n: int, length: int) -> str:
    return " ".join(WORDS[(n * 7 + k * 13) % len(WORDS)] for k in range(length))


def item_texts(n: int, version: int) -> tuple[str, str]:
    headline = f"{sentence(n, 7)} ({n})"
    body = " ".join(f"<p>{sentence(n + p, 18)}.</p>" for p in range(3))
    if version > 1:
        headline += " — تحديث"
    return headline, body


def document(format: str, numbers: range, versions: dict[int, int]) -> bytes:
    parts = []
    if format == "rss":
        for n in numbers:
            headline, body = item_texts(n, versions.get(n, 1))
            parts.append(
                f'<item><guid isPermaLink="false">bench-{n}</guid><title>{escape(headline)}'
                f"</title><link>http://127.0.0.1/news/{n}</link><description>{escape(body)}"
                "</description><pubDate>Mon, 07 Dec 2026 06:10:00 GMT</pubDate></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            "<title>وكالة</title><language>ar</language>" + "".join(parts) + "</channel></rss>"
        ).encode()
    if format == "atom":
        for n in numbers:
            headline, body = item_texts(n, versions.get(n, 1))
            parts.append(
                f"<entry><id>urn:bench:{n}</id><title>{escape(headline)}</title>"
                f'<link href="http://127.0.0.1/news/{n}"/><updated>2026-12-07T07:00:00Z</updated>'
                f'<content type="html">{escape(body)}</content></entry>'
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
            'xml:lang="ar"><title>وكالة</title><id>urn:bench</id>'
            "<updated>2026-12-07T07:00:00Z</updated>" + "".join(parts) + "</feed>"
        ).encode()
    if format == "newsml-g2":
        for n in numbers:
            version = versions.get(n, 1)
            headline, body = item_texts(n, version)
            parts.append(
                f'<newsItem guid="urn:bench:g2:{n}" version="{version}"><itemMeta>'
                "<versionCreated>2026-12-07T07:05:00Z</versionCreated>"
                '<pubStatus qcode="stat:usable"/></itemMeta><contentMeta>'
                f'<headline>{escape(headline)}</headline><language tag="ar"/></contentMeta>'
                '<contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>'
                f"{body}</body></html></inlineXML></contentSet></newsItem>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>'
            + "".join(parts)
            + "</itemSet></newsMessage>"
        ).encode()
    items = []
    for n in numbers:
        version = versions.get(n, 1)
        headline, body = item_texts(n, version)
        items.append(
            {"uri": f"urn:bench:ninjs:{n}", "version": str(version), "language": "ar",
             "pubstatus": "usable", "headline": headline, "body_html": body}
        )  # fmt: skip
    return json.dumps(items, ensure_ascii=False).encode()


class Agency:
    """The loopback agency: path → (format, item numbers); answers 304 to a matching ETag."""

    def __init__(self):
        self.feeds: dict[str, tuple[str, range]] = {}
        self.versions: dict[int, int] = {}
        self.not_modified = 0
        self.cache: dict[tuple[str, int], tuple[bytes, str]] = {}
        agency = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                body, etag = agency.rendered(self.path)
                if self.headers.get("If-None-Match") == etag:
                    agency.not_modified += 1
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def rendered(self, path: str) -> tuple[bytes, str]:
        """The feed's document and ETag, made once per state of the agency (not timed)."""
        key = (path, id(self.versions))
        if key not in self.cache:
            format, numbers = self.feeds[path]
            body = document(format, numbers, self.versions)
            self.cache[key] = body, '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        return self.cache[key]

    def render_all(self) -> None:
        self.cache = {}
        for path in self.feeds:
            self.rendered(path)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


def memory_mib(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = BENCH_DB
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    settings.NEWSROOM_WIRES_MAX_BYTES = 64 * 1024 * 1024
    settings.NEWSROOM_WIRES_TIMEOUT_SECONDS = 60
    django.setup()


def ensure_database():
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {
        "host": db["HOST"],
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def run(total: int, per_feed: int) -> None:
    from django.core.management import call_command

    from articles.models import Author, Section
    from wires.models import Feed, WireItem
    from wires.services import poll_due_feeds, poll_feed

    part = "setup"
    try:
        call_command("migrate", verbosity=0, interactive=False)
        WireItem.objects.all().delete()
        Feed.objects.all().delete()
        agency_author, _ = Author.objects.get_or_create(
            slug="bench-agency", defaults={"name_ar": "وكالة القياس", "kind": Author.Kind.AGENCY}
        )
        section, _ = Section.objects.get_or_create(
            slug="bench-wires", defaults={"name_ar": "وكالات"}
        )
        agency = Agency()
        feeds = []
        for number, start in enumerate(range(0, total, per_feed)):
            format = FORMATS[number % len(FORMATS)]
            path = f"/feed-{number}"
            agency.feeds[path] = (format, range(start, min(total, start + per_feed)))
            feeds.append(
                Feed.objects.create(
                    name=f"قياس {number}",
                    url=agency.base + path,
                    format=format,
                    agency=agency_author,
                    section=section,
                )
            )

        agency.render_all()
        part = "first poll"
        memory, by_format = [], dict.fromkeys(FORMATS, 0.0)
        started, cpu_started = time.perf_counter(), time.process_time()
        for feed in feeds:
            feed_started = time.perf_counter()
            counts = poll_feed(feed.pk, force=True)
            by_format[feed.format] += time.perf_counter() - feed_started
            if counts is None or counts.get("error"):
                raise Failure(
                    f"{part}: feed {feed.name} failed: {Feed.objects.get(pk=feed.pk).last_error}"
                )
            memory.append(memory_mib())
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        stored = WireItem.objects.count()
        if stored != total:
            raise Failure(f"{part}: {stored} items stored for {total} sent")
        rate = total / elapsed
        print(f"first poll: {total} items from {len(feeds)} feeds in {elapsed:.2f} s: "
              f"{rate:,.0f} items/s ({total / cpu:,.0f} per CPU-second of this process; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")  # fmt: skip
        for format in FORMATS:
            count = WireItem.objects.filter(feed__format=format).count()
            print(f"  {format}: {count} items, {count / by_format[format]:,.0f} items/s")
        print("resident memory after each feed (MiB): " + ", ".join(f"{m:.0f}" for m in memory))

        part = "second poll (304)"
        started = time.perf_counter()
        counts = poll_due_feeds(force=True)
        if counts.get("not_modified") != len(feeds) or agency.not_modified != len(feeds):
            raise Failure(f"{part}: {agency.not_modified} of {len(feeds)} feeds answered 304")
        print(
            f"second poll: {len(feeds)} feeds answered 304 in {time.perf_counter() - started:.2f} s"
        )

        part = "third poll (updates)"
        agency.versions = dict.fromkeys(range(0, total, 10), 2)
        agency.render_all()
        started = time.perf_counter()
        counts = poll_due_feeds(force=True)
        elapsed = time.perf_counter() - started
        expected = len(agency.versions)
        if counts.get("updated") != expected or counts.get("new"):
            raise Failure(f"{part}: {dict(counts)} for {expected} updated items")
        if WireItem.objects.count() != total:
            raise Failure(f"{part}: {WireItem.objects.count()} items after the updates")
        print(f"third poll: {total} items re-read, {expected} updated, in {elapsed:.2f} s: "
              f"{total / elapsed:,.0f} items/s")  # fmt: skip

        peak = memory_mib("VmHWM")
        growth = memory[-1] - memory[0]
        print(f"peak resident memory: {peak:.0f} MiB; growth from the first feed to the last: "
              f"{growth:+.0f} MiB")  # fmt: skip
        part = "throughput"
        if rate < GOAL_ITEMS_PER_SECOND:
            raise Failure(f"{part}: {rate:,.0f} items/s, the goal is {GOAL_ITEMS_PER_SECOND:,}")
        part = "memory"
        if growth > MEMORY_GROWTH_LIMIT_MIB:
            raise Failure(f"{part}: grew by {growth:.0f} MiB over the feeds (limit "
                          f"{MEMORY_GROWTH_LIMIT_MIB} MiB)")  # fmt: skip
    except Failure:
        raise
    except Exception as error:
        raise Failure(f"{part}: {type(error).__name__}: {error}") from error


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--per-feed", type=int, default=1000)
    args = parser.parse_args()
    setup_django()
    ensure_database()
    try:
        run(args.items, args.per_feed)
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
