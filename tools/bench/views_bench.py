"""Benchmark: how many views per second the counter records, and that none is lost.

    .venv/bin/python tools/bench/views_bench.py              # HTTP, both servers (make bench-views)
    .venv/bin/python tools/bench/views_bench.py --via gunicorn --worker-class sync --workers 4
    .venv/bin/python tools/bench/views_bench.py --mode db    # the SQL alone, write-path variants

HTTP mode creates a published article in this worktree's database, starts a server — gunicorn
alone on a loopback port, then the production stack (deploy/serve.sh: nginx in front of
gunicorn on a Unix socket, DEBUG off) — and fires wrk (Debian's ``wrk``, many connections, a
small Lua script) at ``POST /api/views/<id>/`` for a bounded time. Every request carries a
different user agent, so every request is a distinct reader and should be counted. It
prints counted views/second, answers/second, the CPU each process spent per view (and the
throughput that would give on idle cores), how busy the machine was (other sessions share
it), and the check: views acknowledged as counted vs views stored. When wrk stops, requests
still in flight may be stored without their answer being read, so stored may exceed
acknowledged by at most the number of connections; stored below acknowledged would be a
lost view. The per-address rate limit is off (wrk is one address).

DB mode runs N threads (psycopg, one connection each) doing nothing but the write, for the
design in counters/services.py with 1 and with NEWSROOM_VIEW_SHARDS shards, and for the naive
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

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from counters.models import ArticleViewDay, ViewReader  # noqa: E402

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
  statuses = ""
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
    if other <= 5 then
      local said = string.sub(string.gsub(body, "%s+", "_"), 1, 60)
      statuses = statuses .. status .. ":" .. said .. ";"
    end
  end
end
function done(summary, latency, requests)
  local c, o = 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("counted")
    o = o + thread:get("other")
    local seen = thread:get("statuses")
    if seen ~= "" then
      io.write("OTHER " .. seen .. "\n")
    end
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


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its children, living or reaped (gunicorn
    recycles workers after max_requests; PostgreSQL ends a backend with its connection)."""
    import psutil

    try:
        root = psutil.Process(pid)
        times = root.cpu_times()
        children = root.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0.0
    total = times.user + times.system + times.children_user + times.children_system
    for process in children:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue  # reaped meanwhile: counted in its parent's children_* next time
        total += times.user + times.system
    return total


def server_cpu(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by the servers (gunicorn, nginx) and by PostgreSQL."""
    totals = {name: tree_cpu(pid) for name, pid in pids.items()}
    pid_file = Path(settings.BASE_DIR / ".pgdata" / "postmaster.pid")
    if pid_file.exists():
        totals["postgres"] = tree_cpu(int(pid_file.read_text().split()[0]))
    return totals


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


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
    raise SystemExit(f"nothing listened on {port}")


# wrk is one client address standing in for many readers: the per-address rate limit would
# refuse most of its requests (as in tools/bench/stack_bench.py, it is off here).
SERVER_ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    "NEWSROOM_RATE_LIMIT_ENABLED": "0",
}


class Gunicorn:
    """gunicorn alone on a loopback TCP port (the issue's "gunicorn on loopback")."""

    def __init__(self, args):
        self.args = args
        self.port = free_port()
        self.label = (
            f"gunicorn {args.workers}×{args.worker_class}"
            + (f" ×{args.threads} threads" if args.worker_class == "gthread" else "")
            + " on 127.0.0.1"
            + (" (Django's handler only, no fast path)" if args.django_only else "")
        )

    def __enter__(self):
        args = self.args
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                # --django-only: Django's handler without the fast path, for comparison
                "newsroom.wsgi:django_application" if args.django_only else "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
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
            env=SERVER_ENV,
        )
        wait_for(self.port)
        return self

    def pids(self) -> dict[str, int]:
        return {"gunicorn": self.process.pid}

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)


class Stack:
    """The production stack: deploy/serve.sh (nginx → gunicorn on a Unix socket, DEBUG off)."""

    def __init__(self, args):
        self.port = free_port()
        self.state = Path(tempfile.mkdtemp(prefix="views-bench-stack-"))
        # deploy/gunicorn.conf.py's "views" pool answers /api/views/ (GUNICORN_WORKERS and
        # GUNICORN_THREADS, when set, apply to both pools, as serve.sh passes them on).
        cores = os.cpu_count() or 1
        threads = int(os.environ.get("GUNICORN_THREADS") or 16)
        workers = os.environ.get("GUNICORN_WORKERS") or str(
            cores + 1 if threads > 1 else 2 * cores + 1
        )
        kind = f"gthread ×{threads} threads" if threads > 1 else "sync"
        self.label = f"nginx → gunicorn views pool {workers}×{kind} (deploy/serve.sh)"
        self.env = {**SERVER_ENV, "SERVE_PORT": str(self.port), "SERVE_STATE": str(self.state)}

    def serve(self, action: str) -> None:
        subprocess.run(["bash", "deploy/serve.sh", action], cwd=ROOT, env=self.env, check=True)

    def __enter__(self):
        self.serve("start")
        wait_for(self.port)
        return self

    def pids(self) -> dict[str, int]:
        read = lambda name: int((self.state / f"{name}.pid").read_text().split()[0])  # noqa: E731
        return {"gunicorn": read("gunicorn-views"), "nginx": read("nginx")}

    def __exit__(self, *exc):
        self.serve("stop")
        shutil.rmtree(self.state, ignore_errors=True)


def run_wrk(wrk: str, script: str, base: str, path: str, args, seconds: int) -> dict:
    run = subprocess.run(
        [
            wrk,
            f"-t{args.wrk_threads}",
            f"-c{args.connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            script,
            base,
            path,
            str(time.time_ns()),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    for seen in (x for x in run.stdout.splitlines() if x.startswith("OTHER ")):
        print(f"  neither counted nor refused (status:body): {seen[6:]}")
    line = next((x for x in run.stdout.splitlines() if x.startswith("RESULT")), None)
    if line is None:
        raise SystemExit(f"wrk failed:\n{run.stdout}\n{run.stderr}")
    return {key: float(value) for key, value in (part.split("=") for part in line.split()[1:])}


def http_bench(args) -> int:
    wrk = shutil.which("wrk")
    if not wrk:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    targets = {"gunicorn": [Gunicorn], "nginx": [Stack], "both": [Gunicorn, Stack]}[args.via]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    figures, ok = [], True
    try:
        for target in targets:
            with target(args) as server:
                result = measure(server, wrk, script.name, args)
            figures.append(result)
            ok = ok and result["ok"]
    finally:
        os.unlink(script.name)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0 if ok else 1


def measure(server, wrk: str, script: str, args) -> dict:
    """Fire wrk at POST /api/views/<id>/ (distinct readers) and check sent vs stored."""
    article, warm_up = make_article(), make_article()
    connection.close()  # the server's workers open their own
    base = f"http://127.0.0.1:{server.port}"
    try:
        # Warm up every worker (imports, database connection, the day's salt) first.
        run_wrk(wrk, script, base, f"/api/views/{warm_up.pk}/", args, 1)
        before = stored_total(article.pk)
        connection.close()
        load_before = os.getloadavg()[0]
        cpu_before = server_cpu(server.pids())
        ticks_before = cpu_ticks()
        wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = run_wrk(wrk, script, base, f"/api/views/{article.pk}/", args, args.seconds)
        wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        ticks_after = cpu_ticks()
        time.sleep(1)  # let requests in flight at wrk's stop finish
        cpu_after = server_cpu(server.pids())
        stored = stored_total(article.pk) - before
    finally:
        connection.close()
        drop_article(article)
        drop_article(warm_up)
    acked, other = int(result["counted"]), int(result["other"])
    lost = max(0, acked - stored)
    ticks = max(ticks_after[1] - ticks_before[1], 1)
    busy = 100 * (ticks_after[0] - ticks_before[0]) / ticks
    print(
        f"\nviews counter through {server.label}: wrk {args.connections} connections, "
        f"{args.seconds}s, every request a distinct reader, "
        f"shards={settings.NEWSROOM_VIEW_SHARDS}, "
        f"sync_commit={'on' if settings.NEWSROOM_VIEW_SYNC_COMMIT else 'off'}"
    )
    print(f"  acknowledged as counted : {acked}")
    print(f"  other answers           : {other}")
    print(f"  stored                  : {stored}")
    print(f"  in flight at stop       : {stored - acked} (0..{args.connections} allowed)")
    print(f"  lost                    : {lost}")
    print(f"  counted views/second    : {acked / args.seconds:.0f}")
    print(f"  answers/second          : {(acked + other) / args.seconds:.0f}")
    print(f"  latency p50 / p99 (ms)  : {result['p50_ms']:.2f} / {result['p99_ms']:.2f}")
    # CPU time per view, whatever else the machine is doing: the ceiling on idle cores.
    handled = max(stored, 1)
    per_view = {
        name: (cpu_after[name] - cpu_before.get(name, 0.0)) * 1000 / handled for name in cpu_after
    }
    per_view["wrk"] = (
        (wrk_after.ru_utime + wrk_after.ru_stime - wrk_before.ru_utime - wrk_before.ru_stime)
        * 1000
        / handled
    )
    cost = sum(per_view.values())
    # What other sessions took meanwhile: the machine's busy time minus ours (in % of all cores).
    hz = os.sysconf("SC_CLK_TCK")
    ours = cost * handled / 1000 * hz  # jiffies
    others = max(0.0, 100 * (ticks_after[0] - ticks_before[0] - ours) / ticks)
    print(
        "  CPU per view (ms)       : "
        + ", ".join(f"{name} {ms:.3f}" for name, ms in per_view.items())
        + f" = {cost:.3f}"
    )
    ceiling = (os.cpu_count() or 1) * 1000 / cost
    print(f"  ceiling on {os.cpu_count()} idle cores : {ceiling:.0f} views/s")
    print(
        f"  machine during the run  : {busy:.0f}% busy, of which other sessions ~{others:.0f}%; "
        f"load average {load_before:.1f} → {os.getloadavg()[0]:.1f}"
    )
    ok = lost == 0 and other == 0 and 0 <= stored - acked <= args.connections
    print("  check                   :", "OK" if ok else "FAILED")
    return {
        "server": server.label,
        "views_per_second": acked / args.seconds,
        "acked": acked,
        "other": other,
        "stored": stored,
        "lost": lost,
        "cpu_ms_per_view": per_view,
        "busy_percent": busy,
        "others_percent": others,
        "ok": ok,
    }


NAIVE_SQL = """
INSERT INTO articles_viewreader (reader, article_id, seen_at) VALUES (%(reader)s, %(id)s, now())
    ON CONFLICT DO NOTHING;
UPDATE articles_article SET view_count = view_count + 1 WHERE id = %(id)s;
"""


def db_bench(args) -> int:
    import psycopg

    from counters import services

    db = settings.DATABASES["default"]
    conninfo = {
        "host": db["HOST"],
        "port": db["PORT"] or None,
        "dbname": db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }
    article = make_article()
    ok = True
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
            failures = []
            stop = threading.Event()
            record_sql = prefix + services.EXECUTE_SQL

            def client(index, failures=failures, **kwargs):
                try:
                    write_views(index, **kwargs)
                except Exception as error:  # reported and counted below, in the main thread
                    failures.append(f"client {index}: {type(error).__name__}: {error}")

            def write_views(index, shards=shards, counts=counts, stop=stop,
                            record_sql=record_sql, prefix=prefix, label=label):  # fmt: skip
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
                                    "hour": now.replace(minute=0, second=0, microsecond=0),
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
            if failures:
                print(f"FAILED: {label}: {len(failures)} clients stopped; first: {failures[0]}")
                ok = False
    finally:
        connection.close()
        drop_article(article)
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=["http", "db"], default="http")
    parser.add_argument(
        "--via",
        choices=["gunicorn", "nginx", "both"],
        default="both",
        help="gunicorn alone on loopback, the production stack (deploy/serve.sh), or both",
    )
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 10)))
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument(
        "--django-only",
        action="store_true",
        help="gunicorn serves Django's handler without the fast path (the former design)",
    )
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
