"""`make bench-scale`: every maintenance job on a big newsroom, timed; none may fail.

    python tools/bench/scale_bench.py [--articles 1000000] [--database bench_scale] [--regenerate]

1. the database (``bench_scale`` by default) gets ``--articles`` articles (and as many
   comments) from ``generate_newsroom`` once (streamed COPY); later runs reuse them
   (``--regenerate`` to make them again; ``bench_scale`` holding another number of articles
   is made again too). Any other database with articles is used as it is: after
   ``make bench-import POSTS=100000``, ``--database bench_import`` times the jobs on the
   imported archive;
2. the view counter's tables get a backlog to work on (``--view-backlog``, one row per
   article by default): expired dedup rows, expired hourly rows, yesterday's shard rows
   (two per article) to fold, and 30 past days of folded rows for a tenth of the articles
   (the rows a compaction must not have to read);
3. each job runs in a child process with the web's settings (its 30 s statement timeout
   included; each job sets its own): ``refresh_search_terms``, ``purge_view_readers
   --compact``, ``backup`` (to a temporary folder, removed afterwards); their progress is
   shown as it comes, their duration printed, and what they should have done is checked
   (a vocabulary, no expired row left, no past shard row left, a dump written);
4. the long tail (as in ``make bench``, issue #33): random articles of the whole archive (a
   sample of ``--long-tail-sample`` addresses, 100,000 by default) through the production
   stack with every cache on, each request from an address of its own, then the plain Django
   peer under the same client when ../shared/peers is set up; ``--long-tail-sample 0`` skips
   it. Its ratio is printed; a failed request fails the part;
5. exits non-zero, naming the jobs (or the long tail), when any fails.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PY = sys.executable
DEFAULT_DATABASE = "bench_scale"

# Run in the database by ``manage.py shell`` under the jobs' statement timeout; {n} rows each.
SEED_BACKLOG = """
from ops.maintenance import job_session
from django.db import connection
with job_session(), connection.cursor() as c:
    c.execute("TRUNCATE articles_viewreader, counters_articleviewhour, articles_articleviewday")
    c.execute("INSERT INTO articles_viewreader (reader, article_id, seen_at) "
              "SELECT decode(md5(id::text), 'hex'), id, now() - interval '2 days' "
              "FROM articles_article ORDER BY id LIMIT {n}")
    c.execute("INSERT INTO counters_articleviewhour (article_id, hour, shard, views) "
              "SELECT id, date_trunc('hour', now()) - interval '10 days', 0, 3 "
              "FROM articles_article ORDER BY id LIMIT {n}")
    c.execute("INSERT INTO articles_articleviewday (article_id, day, shard, views) "
              "SELECT id, current_date - d, 0, 5 FROM (SELECT id FROM articles_article "
              "ORDER BY id LIMIT {n}) a, generate_series(2, 31) d WHERE a.id % 10 = 0")
    c.execute("INSERT INTO articles_articleviewday (article_id, day, shard, views) "
              "SELECT id, current_date - 1, s, 2 FROM (SELECT id FROM articles_article "
              "ORDER BY id LIMIT {n}) a, generate_series(1, 2) s")
    c.execute("ANALYZE articles_viewreader, counters_articleviewhour, articles_articleviewday")
    c.execute("SELECT (SELECT count(*) FROM articles_viewreader), "
              "(SELECT count(*) FROM counters_articleviewhour), "
              "(SELECT count(*) FROM articles_articleviewday)")
    print("SEEDED readers=%d hours=%d days=%d" % c.fetchone())
"""
CHECKS = {
    "refresh_search_terms": "SELECT count(*) = 0 FROM articles_searchterm",
    "purge_view_readers": (
        "SELECT (SELECT count(*) FROM articles_viewreader "
        "WHERE seen_at < now() - interval '1 day') "
        "+ (SELECT count(*) FROM counters_articleviewhour "
        "WHERE hour < now() - interval '9 days') "
        "+ (SELECT count(*) FROM articles_articleviewday "
        "WHERE day < current_date AND shard <> 0)"
    ),
}
CHECK = """
from django.db import connection
with connection.cursor() as c:
    c.execute({sql!r})
    print("LEFT", int(c.fetchone()[0]))
"""


def manage(env, *args, capture=False):
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=capture
    )


def shell(env, code):
    """Run ``code`` in ``manage.py shell``; its last line of output, or None on failure."""
    done = manage(env, "shell", "-c", code, capture=True)
    if done.returncode:
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
        return None
    return done.stdout.split("\n")[-2] if done.stdout.strip() else ""


def run_job(env, name, command):
    """Run one job, its output shown line by line as it comes; (exit status, last lines)."""
    child = subprocess.Popen(
        [PY, "manage.py", *command],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    tail = []
    for line in child.stdout:
        print(f"  [{name}] {line.rstrip()}", flush=True)
        tail = [*tail[-30:], line]
    return child.wait(), "".join(tail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--view-backlog",
        type=int,
        default=None,
        help="Rows of each view-counter backlog (default: one per article; 0: none).",
    )
    parser.add_argument(
        "--long-tail-sample",
        type=int,
        default=100_000,
        help="Random articles the long tail draws from (0: no long tail).",
    )
    args = parser.parse_args()
    env = {**os.environ, "NEWSROOM_DB_NAME": args.database}
    for override in ("NEWSROOM_DB_STATEMENT_TIMEOUT_MS", "NEWSROOM_JOB_STATEMENT_TIMEOUT_MS"):
        env.pop(override, None)  # the jobs run with the site's own settings
    if manage(env, "migrate", "--noinput", "-v0").returncode:
        sys.exit("migrate failed")
    count = shell(env, "from articles.models import Article; print(Article.objects.count())")
    if count is None:
        sys.exit("counting the articles failed")
    articles = int(count.split()[-1])
    regenerate = args.regenerate or articles == 0
    if args.database == DEFAULT_DATABASE and articles not in (0, args.articles):
        print(f"{args.database} holds {articles:,} articles, not {args.articles:,}: made again")
        regenerate = True
    if regenerate:
        print(f"generating {args.articles:,} articles in {args.database} …", flush=True)
        started = time.monotonic()
        made = manage(
            env,
            "generate_newsroom",
            "--flush",
            "--articles",
            str(args.articles),
            "--comments",
            str(args.articles),
        )
        if made.returncode:
            sys.exit("generate_newsroom failed")
        print(f"generated in {time.monotonic() - started:.0f} s", flush=True)
        articles = args.articles
    else:
        print(f"reusing {articles:,} articles in {args.database}", flush=True)
    backlog = articles if args.view_backlog is None else args.view_backlog
    if backlog:
        started = time.monotonic()
        seeded = shell(env, SEED_BACKLOG.format(n=int(backlog)))
        if seeded is None:
            sys.exit("seeding the view counter's backlog failed")
        print(f"view-counter backlog: {seeded} in {time.monotonic() - started:.0f} s", flush=True)
    backups = Path(tempfile.mkdtemp(prefix="bench-scale-backup-"))
    jobs = [
        ("refresh_search_terms", ["refresh_search_terms"]),
        ("purge_view_readers", ["purge_view_readers", "--compact"]),
        ("backup", ["backup", "--to", str(backups)]),
    ]
    failed, figures = [], []
    try:
        for name, command in jobs:
            print(f"{name} …", flush=True)
            started = time.monotonic()
            status, tail = run_job(env, name, command)
            seconds = time.monotonic() - started
            problem = f"exit {status}" if status else check(env, name, backups)
            verdict = f"FAILED ({problem})" if problem else "ok"
            figures.append(f"{name:22} {seconds:8.1f} s  {verdict}")
            print(figures[-1], flush=True)
            if problem:
                print(tail[-2000:])
                failed.append(name)
    finally:
        shutil.rmtree(backups, ignore_errors=True)
    if args.long_tail_sample:
        lines, problem = long_tail(args.database, args.long_tail_sample)
        figures.extend(lines)
        if problem:
            failed.append(f"long tail ({problem})")
    print("\n".join(["", *figures]))
    print(f"SUMMARY articles={articles} failed={','.join(failed) or 'none'}")
    if failed:
        print("make bench-scale FAILED in: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


def long_tail(database: str, sample: int) -> tuple[list[str], str | None]:
    """make bench's long tail on this archive: its printed lines and what failed, if any."""
    sys.path.insert(0, str(ROOT))
    from tools.bench import stack_bench

    stack_bench.ENV["NEWSROOM_DB_NAME"] = database
    stack_bench.OUT.mkdir(parents=True, exist_ok=True)
    print(f"long tail: {sample:,} random articles of {database} …", flush=True)
    # Not kept ahead here: keeping a million answers takes hours (docs/benchmarks.md).
    results = stack_bench.long_tail_runs(stack_bench.article_paths(limit=sample), keep_ahead=False)
    ours = results["article long-tail"]
    problems = [f"{ours['errors']} failed requests"] if ours["errors"] else []
    problem = "; ".join([*problems, *stack_bench.FAILURES]) or None
    return stack_bench.long_tail_lines(results) or ["long tail: nothing measured"], problem


def check(env, name, backups) -> str | None:
    """What is wrong with the job's result, or None."""
    if name == "backup":
        dumps = list(backups.glob("*/database.dump"))
        return None if dumps and dumps[0].stat().st_size else "no dump written"
    left = shell(env, CHECK.format(sql=CHECKS[name]))
    if left is None:
        return "its check failed"
    if left.split()[-1] != "0":
        return "no vocabulary" if name == "refresh_search_terms" else f"rows {left.lower()}"
    return None


if __name__ == "__main__":
    sys.exit(main())
