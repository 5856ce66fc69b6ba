"""Benchmark: how many views per second the counter records, and that none is lost.

    .venv/bin/python bench/views_bench.py              # HTTP: gunicorn + wrk (make bench-views)
    .venv/bin/python bench/views_bench.py --mode db    # the SQL alone, write-path variants

HTTP mode creates a published article in this worktree's database, starts gunicorn on a
loopback port, and fires wrk (Debian's ``wrk``, many connections, a small Lua script) at
``POST /api/views/<id>/`` for a bounded time. Every request carries a different user agent,
so every request is a distinct reader and should be counted. It prints views/second and the
check: views acknowledged as counted vs views stored. When wrk stops, requests still in
flight may be stored without their answer being read, so stored may exceed acknowledged by
at most the number of connections; stored below acknowledged would be a lost view.

DB mode runs N threads (psycopg, one connection each) doing nothing but the write, for the
design in articles/view_services.py with 1 and with NEWSROOM_VIEW_SHARDS shards, and for the naive
``UPDATE articles_article SET view_count = view_count + 1`` inside a transaction that also
inserts the dedup row (the hot-row design the docs compare against).

The bench article and its rows are deleted at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, ArticleViewDay, Section, ViewReader  # noqa: E402

LUA = r"""
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  counted = 0
  other = 0
  path = args[1]
  nonce = args[2]
end
function request()
  counter = counter + 1
  return wrk.format("POST", path, {
    ["User-Agent"] = "Mozilla/5.0 Firefox/130.0 r" .. nonce .. "-" .. id .. "-" .. counter,
    ["Accept"] = "application/json",
  })
end
function response(status, headers, body)
  if status == 200 and string.find(body, '"counted": true', 1, true) then
    counted = counted + 1
  else
    other = other + 1
  end
end
function done(summary, latency, requests)
  local c, o = 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("counted")
    o = o + thread:get("other")
  end
  io.write(string.format("RESULT counted=%d other=%d p50_ms=%.2f p99_ms=%.2f\n",
    c, o, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def stored_total(article_id: int) -> int:
    rows = ArticleViewDay.objects.filter(article_id=article_id)
    return sum(rows.values_list("views", flat=True))


def make_article() -> Article:
    section, _ = Section.objects.get_or_create(slug="bench", defaults={"name_ar": "قياس"})
    return Article.objects.create(
        title_ar=f"مقال القياس {time.time_ns()}",
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(minutes=1),
        view_count=7529,
    )


def drop_article(article: Article) -> None:
    ViewReader.objects.filter(article_id=article.pk).delete()
    article.delete()
    Section.objects.filter(slug="bench", articles__isnull=True).delete()


def server_cpu(gunicorn_pid: int) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master and workers) and by PostgreSQL."""
    import psutil

    totals = {"gunicorn": 0.0, "postgres": 0.0}
    master = psutil.Process(gunicorn_pid)
    for process in [master, *master.children(recursive=True)]:
        times = process.cpu_times()
        totals["gunicorn"] += times.user + times.system
    pid_file = Path(settings.BASE_DIR / ".pgdata" / "postmaster.pid")
    if pid_file.exists():
        postmaster = psutil.Process(int(pid_file.read_text().split()[0]))
        for process in [postmaster, *postmaster.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            totals["postgres"] += times.user + times.system
    return totals


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on {port}")


def http_bench(args) -> int:
    wrk = shutil.which("wrk")
    if not wrk:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    article, warm_up = make_article(), make_article()
    connection.close()  # gunicorn workers open their own
    port = free_port()
    # wrk is one client address standing in for many readers: the per-address rate limit
    # would refuse most of its requests (as deploy/bench.py, it is off here).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_RATE_LIMIT_ENABLED": "0",
    }
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(port)
        path = f"/api/views/{article.pk}/"
        base = f"http://127.0.0.1:{port}"
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA)
        # Warm up every worker (imports, database connection) before measuring.
        subprocess.run(
            [wrk, "-t1", "-c8", "-d1s", "-s", script.name, base, f"/api/views/{warm_up.pk}/", "w"],
            capture_output=True,
            check=False,
        )
        before = stored_total(article.pk)
        connection.close()
        cpu_before = server_cpu(gunicorn.pid)
        wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        run = subprocess.run(
            [
                wrk,
                f"-t{args.wrk_threads}",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}",
                path,
                str(time.time_ns()),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.monotonic() - started
        wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        os.unlink(script.name)
        time.sleep(1)  # let requests in flight at wrk's stop finish
        cpu_after = server_cpu(gunicorn.pid)
        stored = stored_total(article.pk) - before
        result = dict(
            part.split("=")
            for part in next(
                line for line in run.stdout.splitlines() if line.startswith("RESULT")
            ).split()[1:]
        )
        acked = int(result["counted"])
        other = int(result["other"])
        lost = max(0, acked - stored)
        print(run.stdout.strip())
        print(
            f"\nviews counter, HTTP: gunicorn {args.workers}×{args.worker_class}"
            f"{f' ×{args.threads} threads' if args.worker_class == 'gthread' else ''}, "
            f"wrk {args.connections} connections, {args.seconds}s, "
            f"shards={settings.NEWSROOM_VIEW_SHARDS}, "
            f"sync_commit={'on' if settings.NEWSROOM_VIEW_SYNC_COMMIT else 'off'}"
        )
        print(f"  acknowledged as counted : {acked}")
        print(f"  other answers           : {other}")
        print(f"  stored                  : {stored}")
        print(f"  in flight at stop       : {stored - acked} (0..{args.connections} allowed)")
        print(f"  lost                    : {lost}")
        print(f"  views/second            : {acked / args.seconds:.0f}")
        print(f"  latency p50 / p99 (ms)  : {result['p50_ms']} / {result['p99_ms']}")
        # CPU time per view, whatever else the machine is doing: the ceiling on idle cores.
        handled = max(stored, 1)
        per_view = {
            name: (cpu_after[name] - cpu_before.get(name, 0.0)) * 1000 / handled
            for name in cpu_after
        }
        per_view["wrk"] = (
            (wrk_after.ru_utime + wrk_after.ru_stime - wrk_before.ru_utime - wrk_before.ru_stime)
            * 1000
            / handled
        )
        cost = sum(per_view.values())
        print(
            "  CPU per view (ms)       : "
            + ", ".join(f"{name} {ms:.3f}" for name, ms in per_view.items())
            + f" = {cost:.3f}"
        )
        ceiling = (os.cpu_count() or 1) * 1000 / cost
        print(f"  ceiling on {os.cpu_count()} idle cores : {ceiling:.0f} views/s")
        print(f"  load average at the end : {os.getloadavg()[0]:.1f} (other work on the machine)")
        ok = lost == 0 and other == 0 and 0 <= stored - acked <= args.connections
        print("  check                   :", "OK" if ok else "FAILED")
        if args.json:
            figures = {"views_per_second": acked / args.seconds, "acked": acked}
            figures.update(stored=stored, lost=lost, other=other, elapsed=elapsed)
            Path(args.json).write_text(json.dumps(figures))
        return 0 if ok else 1
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=20)
        connection.close()
        drop_article(article)
        drop_article(warm_up)


NAIVE_SQL = """
INSERT INTO articles_viewreader (reader, article_id, seen_at) VALUES (%(reader)s, %(id)s, now())
    ON CONFLICT DO NOTHING;
UPDATE articles_article SET view_count = view_count + 1 WHERE id = %(id)s;
"""


def db_bench(args) -> int:
    import psycopg

    from articles import view_services as services

    db = settings.DATABASES["default"]
    conninfo = {
        "host": db["HOST"],
        "port": db["PORT"] or None,
        "dbname": db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }
    article = make_article()
    try:
        variants = (
            ("naive hot row", None, ""),
            ("1 shard", 1, ""),
            ("1 shard, async", 1, services.ASYNC_COMMIT_PREFIX),
            (f"{args.shards} shards", args.shards, ""),
            (f"{args.shards} shards, async", args.shards, services.ASYNC_COMMIT_PREFIX),
        )
        for label, shards, prefix in variants:
            counts = [0] * args.clients
            stop = threading.Event()
            record_sql = prefix + services.EXECUTE_SQL

            def client(index, shards=shards, counts=counts, stop=stop, record_sql=record_sql,
                       prefix=prefix, label=label):  # fmt: skip
                n = 0
                with psycopg.connect(
                    **conninfo, autocommit=True, cursor_factory=psycopg.ClientCursor
                ) as conn:
                    if shards is not None:
                        conn.execute(services.PREPARE_SQL)
                    while not stop.is_set():
                        n += 1
                        reader = hashlib.blake2b(
                            f"{label}-{index}-{n}".encode(), digest_size=16
                        ).digest()
                        if shards is None:
                            with conn.transaction():
                                for statement in NAIVE_SQL.strip().split(";\n"):
                                    conn.execute(statement, {"reader": reader, "id": article.pk})
                        else:
                            now = timezone.now()
                            cursor = conn.execute(
                                record_sql,
                                {
                                    "article_id": article.pk,
                                    "reader": reader,
                                    "now": now,
                                    "cutoff": now - timedelta(minutes=30),
                                    "day": timezone.localdate(now),
                                    "shard": random.randrange(shards),
                                },
                            )
                            if prefix:
                                cursor.nextset()
                            cursor.fetchone()
                        counts[index] += 1

            threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
            for thread in threads:
                thread.start()
            time.sleep(args.seconds)
            stop.set()
            for thread in threads:
                thread.join()
            print(
                f"DB only, {args.clients} clients, {label:>20}: "
                f"{sum(counts) / args.seconds:8.0f} writes/s"
            )
    finally:
        connection.close()
        drop_article(article)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=["http", "db"], default="http")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 10)))
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--shards", type=int, default=settings.NEWSROOM_VIEW_SHARDS)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    return http_bench(args) if args.mode == "http" else db_bench(args)


if __name__ == "__main__":
    sys.exit(main())
