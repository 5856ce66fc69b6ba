"""Benchmark: live coverage under many watching readers (`make bench-live`).

Serves the production stack (deploy/serve.sh: nginx with its microcache in front of gunicorn,
DEBUG off) from its own database ``bench_live`` on loopback port ``BENCH_LIVE_PORT`` (8881),
makes one live article, then runs simulated readers in one asyncio process: each keeps a
connection and asks the updates endpoint for the entries after the last one it has (and the
changes since the revision it knows), waits ``NEWSROOM_LIVE_POLL_MS`` after each answer (as
static/js/live.js does), phases spread at random. Meanwhile an editor posts an entry every
``--post-every`` seconds (through live.services, as the desk does: the same commit and cache
invalidation).

For each phase (100 readers, then 1,000: ``--readers``) it prints:

- the entry-to-reader delay, p50 and p95 over every (reader, entry) pair: from the moment the
  editor's post starts until that reader's answer carrying the entry arrives;
- the endpoint's answers per second and errors;
- the database transactions per second during the phase (``pg_stat_database.xact_commit``;
  in autocommit each query of a render is a transaction), which should not grow with the
  number of readers: they are answered from the page cache and nginx's microcache.

Then wrk (Debian's package) measures the endpoint's req/s through nginx at its ceiling.
Everything is bounded in time (``--seconds`` per phase) and talks to 127.0.0.1 only; the
stack is stopped at the end, the database is kept for the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DB = "bench_live"
PORT = int(os.environ.get("BENCH_LIVE_PORT", "8881"))
ENV = {
    **os.environ,
    "NEWSROOM_DB_NAME": DB,
    "DJANGO_DEBUG": "0",
    "NEWSROOM_RATE_LIMIT_ENABLED": "0",  # one client address stands in for every reader
    "SERVE_PORT": str(PORT),
    "ACCESS_LOG": "off",
}


def say(message: str) -> None:
    print(f"[bench-live {time.strftime('%H:%M:%S')}] {message}", flush=True)


def setup_django() -> None:
    os.environ.update({key: ENV[key] for key in ("NEWSROOM_DB_NAME", "DJANGO_DEBUG")})
    os.environ["NEWSROOM_RATE_LIMIT_ENABLED"] = "0"
    # Short ORM calls (the transaction count) from the event loop's thread, between phases.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_live_article():
    from django.utils import timezone

    from articles.models import Article, Section
    from live import services

    section, _ = Section.objects.get_or_create(name_ar="قسم قياس التغطية")
    article = Article.objects.filter(slug="bench-live").first()
    if article is None:
        article = Article.objects.create(
            title_ar="تغطية مباشرة للقياس",
            slug="bench-live",
            section=section,
            body_ar="<p>مقال للقياس.</p>",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )
    coverage = services.start_coverage(article=article)
    if not coverage.entries.exists():
        services.post_entry(coverage=coverage, body="أول تحديث في التغطية.")
    return article, coverage


def transactions() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            "WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# Readers --------------------------------------------------------------------------------


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length, chunked = None, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
    if chunked:
        body = b""
        while True:
            size = int((await reader.readline()).strip(), 16)
            if size == 0:
                await reader.readline()
                break
            body += await reader.readexactly(size)
            await reader.readline()
        return status, body
    return status, (await reader.readexactly(length) if length else b"")


class Phase:
    def __init__(self, path: str, first_after: int, poll: float):
        self.path, self.first_after, self.poll = path, first_after, poll
        self.posted: dict[int, float] = {}  # entry id -> when the editor started posting it
        # When the entry being posted now was started: a reader may get it before the editor's
        # thread knows its id (the answer can be faster than the return from post_entry).
        self.posting_since: float | None = None
        self.delays: list[float] = []
        self.answers = 0
        self.errors = 0
        self.stop = asyncio.Event()

    async def reader(self) -> None:
        await asyncio.sleep(random.uniform(0, self.poll))
        after, rev = self.first_after, 0
        stream_reader = writer = None
        while not self.stop.is_set():
            try:
                if writer is None:
                    stream_reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
                writer.write(
                    f"GET {self.path}?after={after}&rev={rev} HTTP/1.1\r\n"
                    f"Host: 127.0.0.1:{PORT}\r\nAccept: application/json\r\n\r\n".encode()
                )
                status, body = await asyncio.wait_for(read_response(stream_reader), 30)
                arrived = time.time()
                self.answers += 1
                if status != 200:
                    self.errors += 1
                else:
                    data = json.loads(body)
                    for entry in data["entries"]:
                        started = self.posted.get(entry["id"])
                        if started is None and entry["id"] > self.first_after:
                            started = self.posting_since  # the one being posted
                        if started is not None:
                            self.delays.append(arrived - started)
                    after, rev = max(after, data["last_id"]), data["rev"]
            except (TimeoutError, OSError, ValueError):
                self.errors += 1
                writer = None
            try:
                await asyncio.wait_for(self.stop.wait(), self.poll)
            except TimeoutError:
                pass
        if writer is not None:
            writer.close()


def editor(phase: Phase, coverage, every: float, until: float, loop) -> None:
    """Posts an entry every ``every`` seconds (a thread: the ORM is synchronous)."""
    from django.db import connection

    from live import services

    number = 0
    while time.time() < until - every:
        time.sleep(every)
        number += 1
        started = time.time()
        phase.posting_since = started
        entry = services.post_entry(
            coverage=coverage, body=f"تحديث القياس رقم {number} في {time.strftime('%H:%M:%S')}"
        )
        # Readers may already have it: record its start time for them from the loop's thread.
        loop.call_soon_threadsafe(phase.posted.__setitem__, entry.pk, started)
    connection.close()


async def run_phase(readers: int, seconds: float, every: float, path, coverage, poll) -> dict:
    last = coverage.entries.order_by("-id").values_list("id", flat=True).first() or 0
    phase = Phase(path, last, poll)
    tasks = [asyncio.create_task(phase.reader()) for _ in range(readers)]
    await asyncio.sleep(poll + 1)  # every reader has started and asked once
    before_tx, before_answers, started = transactions(), phase.answers, time.time()
    until = started + seconds
    loop = asyncio.get_running_loop()
    thread = threading.Thread(target=editor, args=(phase, coverage, every, until, loop))
    thread.start()
    await asyncio.sleep(seconds)
    elapsed = time.time() - started
    answers = phase.answers - before_answers
    await asyncio.sleep(1.5)  # the statistics collector flushes about every second
    spent = transactions() - before_tx
    phase.stop.set()
    await asyncio.gather(*tasks)
    thread.join()
    posts = len(phase.posted)
    return {
        "readers": readers,
        "entries": posts,
        "delay_p50_s": round(percentile(phase.delays, 0.5) or 0, 3),
        "delay_p95_s": round(percentile(phase.delays, 0.95) or 0, 3),
        "deliveries": len(phase.delays),
        "expected_deliveries": posts * readers,
        "answers_per_s": round(answers / elapsed, 1),
        "errors": phase.errors,
        "db_transactions_per_s": round(spent / (elapsed + 1.5), 1),
        "db_transactions_per_entry": round(spent / max(posts, 1), 1),
    }


def wrk(url: str, seconds: int) -> str:
    if not shutil.which("wrk"):
        return "wrk is missing (apt-get install wrk): skipped"
    output = subprocess.run(
        ["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    ).stdout
    rps = next((line for line in output.splitlines() if "Requests/sec" in line), "?")
    p50 = next((line for line in output.splitlines() if line.strip().startswith("50%")), "?")
    p99 = next((line for line in output.splitlines() if line.strip().startswith("99%")), "?")
    errors = [line.strip() for line in output.splitlines() if "Non-2xx" in line or "Socket" in line]
    return (
        f"{rps.strip()}; latency {p50.strip()}, {p99.strip()}; {'; '.join(errors) or 'no errors'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", default="100,1000", help="reader counts, one phase each")
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase")
    parser.add_argument("--post-every", type=float, default=3, help="seconds between entries")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    args = parser.parse_args()

    say(f"database {DB}: migrate, serve on 127.0.0.1:{PORT} (nginx + gunicorn, DEBUG off)")
    subprocess.run(["bash", "deploy/serve.sh", "start"], cwd=ROOT, env=ENV, check=True)
    try:
        setup_django()
        from django.conf import settings
        from django.urls import reverse
        from django.utils import translation

        article, coverage = make_live_article()
        with translation.override("ar"):
            path = reverse("live:updates", args=[article.pk])
        poll = settings.NEWSROOM_LIVE_POLL_MS / 1000
        say(f"endpoint {path}, readers poll every {poll} s, an entry every {args.post_every} s")
        results = []
        for readers in [int(n) for n in args.readers.split(",")]:
            say(f"{readers} readers for {args.seconds:.0f} s …")
            result = asyncio.run(
                run_phase(readers, args.seconds, args.post_every, path, coverage, poll)
            )
            results.append(result)
            say(
                f"{readers:5} readers: delay p50 {result['delay_p50_s']} s, p95 "
                f"{result['delay_p95_s']} s ({result['deliveries']}/"
                f"{result['expected_deliveries']} deliveries); {result['answers_per_s']} "
                f"answers/s, {result['errors']} errors; database "
                f"{result['db_transactions_per_s']} transactions/s "
                f"({result['db_transactions_per_entry']} per entry)"
            )
        last = coverage.entries.order_by("-id").values_list("id", flat=True).first()
        coverage.refresh_from_db(fields=["revision"])
        url = f"http://127.0.0.1:{PORT}{path}?after={last}&rev={coverage.revision}"
        say(f"wrk -t2 -c64 -d{args.wrk_seconds}s {url}")
        say("endpoint through nginx: " + wrk(url, args.wrk_seconds))
        out = ROOT / ".local" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        (out / "live.json").write_text(json.dumps(results, indent=2))
        say(f"results in {out / 'live.json'}")
        delays = [r["delay_p95_s"] for r in results]
        say(f"median of the p95 delays: {statistics.median(delays)} s (goal ≤ 3 s)")
    finally:
        subprocess.run(["bash", "deploy/serve.sh", "stop"], cwd=ROOT, env=ENV, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
