"""`make bench-scale`: every maintenance job on a big newsroom, timed; none may fail.

    python bench/scale_bench.py [--articles 1000000] [--database bench_scale] [--regenerate]

1. the database (``bench_scale`` by default) gets ``--articles`` articles from
   ``generate_newsroom`` once (bulk inserts); later runs reuse whatever articles it holds
   (``--regenerate`` to make them again). Any database with articles will do: after
   ``make bench-import POSTS=100000``, ``--database bench_import`` times the jobs on the
   imported archive;
2. each job runs in a child process with the web's settings (its 30 s statement timeout
   included): ``refresh_search_terms``, ``purge_view_readers --compact``, ``backup`` (to a
   temporary folder, removed afterwards); its duration is printed;
3. exits non-zero, naming the jobs, when any fails.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def manage(env, *args, capture=False):
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=capture
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--database", default="bench_scale")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "NEWSROOM_DB_NAME": args.database}
    if manage(env, "migrate", "--noinput", "-v0").returncode:
        sys.exit("migrate failed")
    count = manage(
        env,
        "shell",
        "-c",
        "from articles.models import Article; print(Article.objects.count())",
        capture=True,
    )
    articles = int(count.stdout.split()[-1])
    if articles == 0 or args.regenerate:
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
    backups = Path(tempfile.mkdtemp(prefix="bench-scale-backup-"))
    jobs = [
        ("refresh_search_terms", ["refresh_search_terms"]),
        ("purge_view_readers", ["purge_view_readers", "--compact"]),
        ("backup", ["backup", "--to", str(backups)]),
    ]
    failed = []
    try:
        for name, command in jobs:
            started = time.monotonic()
            done = manage(env, *command, capture=True)
            seconds = time.monotonic() - started
            status = "ok" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
            print(f"{name:22} {seconds:8.1f} s  {status}", flush=True)
            if done.returncode:
                print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
                failed.append(name)
    finally:
        shutil.rmtree(backups, ignore_errors=True)
    print(f"SUMMARY articles={articles} failed={','.join(failed) or 'none'}")
    if failed:
        print("make bench-scale FAILED in: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
