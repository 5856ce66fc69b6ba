"""`make bench-import`: time import_archive on a generated WordPress export, twice.

    python tools/bench/import_bench.py 10000 [--comments 3] [--keep]

1. tools/bench/make_wxr.py writes .local/bench/wxr-<posts>.xml (kept for the next run);
2. the database ``bench_import`` is dropped and made again (``--keep``: reused as it is);
3. import_archive runs in a child process: posts/s (created articles per second of the
   whole run), items/s, the rate over the first and the last tenth of the file (the import
   must not slow down as the tables grow), and the child's peak RSS;
4. the same import again: nothing changes, every item is skipped; items/s and peak RSS.

Also printed: the CPU time of the importer and of the embedded PostgreSQL (this checkout's
.pgdata) during each run, and the rate per CPU-second of the two together: on a machine
shared with other work, that is the steadier figure.

Exits non-zero when an import fails. Prints one line per run, then a summary line.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PY = sys.executable
DB = "bench_import"
PROGRESS = re.compile(r" · (\d+) ")  # the item count in a progress line (any language)
COUNT = re.compile(r"^([^\s:]+): (\d+)$", re.MULTILINE)  # created, updated, skipped, failed


def reset_database():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["NEWSROOM_DB_NAME"] = "postgres"  # connect beside the one dropped
    import django
    import psycopg

    django.setup()
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
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')


def postgres_cpu_seconds() -> float:
    """CPU time used so far by this checkout's embedded PostgreSQL (the postmaster, its live
    backends, and the backends it has reaped); 0 when it is not the embedded one."""
    try:
        postmaster = int((ROOT / ".pgdata" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == postmaster:
            total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
        elif ppid == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def run_import(path: Path, env: dict) -> dict:
    """One import in a child process; its rate over time read from the progress lines."""
    pg_before = postgres_cpu_seconds()
    started = time.monotonic()
    child = subprocess.Popen(
        [PY, "manage.py", "import_archive", str(path), "--verbosity", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    samples = []  # (seconds, items)
    for line in child.stderr:
        match = PROGRESS.search(line)
        if match:
            samples.append((time.monotonic() - started, int(match.group(1))))
    out = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)  # this child's own peak RSS
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if child.returncode:
        print(out)
        sys.exit(f"import_archive failed (exit status {child.returncode})")
    counts = [int(n) for _label, n in COUNT.findall(out)[:4]]
    # The command's own last line: items, seconds, items/s, MiB (without Python's start-up).
    own = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", out.strip().splitlines()[-1])]
    return {
        "own_seconds": own[1],
        "seconds": seconds,
        "created": counts[0],
        "items": sum(counts),
        "samples": samples,
        "peak_mib": usage.ru_maxrss / 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
        "pg_cpu": postgres_cpu_seconds() - pg_before,
    }


def tenth_rates(samples) -> tuple[float, float]:
    """Items/s over the first and over the last tenth of the run's items (about)."""
    if len(samples) < 3:
        return 0.0, 0.0
    total = samples[-1][1]
    first = next(s for s in samples if s[1] >= total / 10)
    last_start = [s for s in samples if s[1] <= total * 9 / 10][-1]
    return (
        first[1] / max(first[0], 1e-6),
        (total - last_start[1]) / max(samples[-1][0] - last_start[0], 1e-6),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=int, nargs="?", default=10000)
    parser.add_argument("--comments", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="reuse the database as it is")
    args = parser.parse_args()
    path = ROOT / ".local" / "bench" / f"wxr-{args.posts}-c{args.comments}.xml"
    if not path.exists():
        subprocess.run(
            [
                PY,
                "tools/bench/make_wxr.py",
                str(args.posts),
                str(path),
                "--comments",
                str(args.comments),
            ],
            cwd=ROOT,
            check=True,
        )
    print(f"export: {path.name}, {path.stat().st_size / 2**20:.0f} MiB", flush=True)
    if not args.keep:
        subprocess.run([PY, __file__, "--reset-only"], cwd=ROOT, check=True)
    env = {**os.environ, "NEWSROOM_DB_NAME": DB}
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    results = []
    for label in ("first run", "re-run"):
        result = run_import(path, env)
        first, last = tenth_rates(result["samples"])
        posts_s = result["created"] / result["own_seconds"]
        items_s = result["items"] / result["own_seconds"]
        print(
            f"{label}: {result['created']:,} posts created, {result['items']:,} items in "
            f"{result['own_seconds']:.1f} s ({result['seconds']:.1f} s with start-up): "
            f"{posts_s:,.0f} posts/s, {items_s:,.0f} items/s "
            f"(first tenth {first:,.0f} items/s, last tenth {last:,.0f} items/s); "
            f"peak RSS {result['peak_mib']:.0f} MiB; CPU: importer {result['cpu']:.1f} s, "
            f"PostgreSQL {result['pg_cpu']:.1f} s (load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )
        cpu = result["cpu"] + result["pg_cpu"]
        print(
            f"  {label}: {result['created'] / cpu:,.0f} posts and {result['items'] / cpu:,.0f} "
            "items per CPU-second of importer + PostgreSQL together (the rate on an idle "
            "machine if the two never overlapped)",
            flush=True,
        )
        results.append((posts_s, items_s, result["peak_mib"]))
    print(
        f"SUMMARY posts={args.posts} first_run_posts_per_s={results[0][0]:.0f} "
        f"rerun_items_per_s={results[1][1]:.0f} peak_rss_mib={max(r[2] for r in results):.0f}"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--reset-only"]:
        reset_database()
    else:
        main()
