"""Cluster drill (``make cluster-drill``): four faults, one after another, under load.

Starts a scratch cluster in a temporary folder (tools/cluster/engines.py: PostgreSQL primary
and streaming replica, redis-server, moto's S3 server, two gunicorn app servers behind nginx),
then puts the fault drill's load on nginx (tools/drills/fault_drill.py ``Load``: readers of article
pages, commenters, view beacons; writes retried on a 5xx or no answer, as browsers and our
script do) and in turn:

* ``app-server``: SIGKILL one app server (gunicorn and its job runner), start it again later;
* ``replica``: stop the streaming replica, start it again;
* ``redis``: stop redis-server, start it again (empty: it keeps nothing on disk);
* ``primary``: fast-stop the primary PostgreSQL, start it again.

Each fault has its own article for comments and views, so what each fault lost is known. One
line per fault::

    fault primary: 5xx 12, recovered in 5.4 s, lost comments 0, lost views 0

Around each fault the app servers' metrics endpoints are read, and one line printed for the
time since the previous read (tools/cluster/operator_metrics.py): "before" just before it is
broken (the calm seconds since the last fault, or the warm-up), "after" as soon as readers
get good pages again (the outage and the recovery)::

    metrics before primary (3.0 s): p50 latency 12 ms, cache hit ratio 0.31, counted views 95,
    view lag p50 0.004 s, replica lag 0.0 s, jobs overdue 0 of 2

"5xx" counts every answer of 500 or more (and "no answer") during the fault and until the
site answered well again; "recovered in" is the time from the fault's start to the last failed
request it caused (0 when nothing failed); "lost" is acknowledged to the client (a 302 for a
comment, ``counted`` for a view) but absent from the primary afterwards. Exit status 1 when
anything was lost or a write was never acknowledged, naming the fault and the part.
"""

from __future__ import annotations

import collections
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from tools.cluster import operator_metrics
from tools.cluster.engines import BASE_DIR, Cluster, EngineUnavailable
from tools.drills.fault_drill import Load

WARM_UP, OUTAGE, SETTLE = 3.0, 5.0, 3.0
FAULTS = ("app-server", "replica", "redis", "primary")
DRILL_ENV = {
    # Readers and view posters share one address: request rate limits are not the subject.
    "NEWSROOM_RATE_LIMIT_ENABLED": "0",
    # The comment limits keep their defaults: each comment comes from a reader of its own
    # (an address and an email, tools/drills/fault_drill.py Load.commenter) through the cluster's
    # nginx, so a reader's address lost behind the proxy shows as refused comments.
    "NEWSROOM_COMMENTS_MIN_SECONDS": "0",
}
SETUP = """
import json
import django_comments
from tools.drills.content import make_article
out = []
for n in range({count}):
    a = make_article(f"خبر تمرين العنقود {{n}}")
    form = django_comments.get_form()(a)
    hidden = {{k: f.initial for k, f in form.fields.items() if f.initial is not None}}
    out.append({{"id": a.pk, "url": a.get_absolute_url(),
        "security": {{**hidden, **form.initial, **form.generate_security_data()}}}})
print(json.dumps(out, default=str))
"""


def log(message: str) -> None:
    print(f"[drill {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Faults:
    """Break and mend each part of a running cluster."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster

    def app_server(self, broken: bool) -> None:
        victim = self.cluster.app_servers[0]
        if broken:
            victim.kill()
        else:
            victim.start()

    def replica(self, broken: bool) -> None:
        (self.cluster.replica.stop if broken else self.cluster.replica.start)()

    def redis(self, broken: bool) -> None:
        (self.cluster.redis.stop if broken else self.cluster.redis.start)()

    def primary(self, broken: bool) -> None:
        (self.cluster.primary.stop if broken else self.cluster.primary.start)()

    def __call__(self, name: str, broken: bool) -> None:
        getattr(self, name.replace("-", "_"))(broken)


def failed(status) -> bool:
    return not isinstance(status, int) or status >= 500


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="newsroom-cluster-drill-"))
    cluster = Cluster(folder, dbname="drill", extra_env=DRILL_ENV, log=log)
    try:
        try:
            cluster.start()
        except EngineUnavailable as exc:
            print(f"cluster drill: an engine cannot start here: {exc}")
            return 3
        targets = cluster.shell(SETUP.format(count=len(FAULTS) + 1))
        cluster.replica.catch_up()
        base = cluster.nginx.url
        load = Load(base, ["/ar/", *(t["url"] for t in targets)], targets)
        before = {t["id"]: load.view_total(t)[1] for t in targets}
        if None in before.values():
            print("cluster drill: the view endpoint does not report totals")
            return 2
        faults = Faults(cluster)
        windows = []
        readings: dict[str, list[str]] = {}  # fault -> its "metrics before/after" lines
        last_read = (operator_metrics.scrape(cluster), time.monotonic())

        def read_metrics(when: str, name: str) -> str:
            nonlocal last_read
            now = (operator_metrics.scrape(cluster), time.monotonic())
            line = (
                f"metrics {when} {name} ({now[1] - last_read[1]:.1f} s): "
                + operator_metrics.summary(last_read[0], now[0])
            )
            last_read = now
            log(line)
            return line

        started = time.monotonic()
        load.start()
        time.sleep(WARM_UP)
        for phase, name in enumerate(FAULTS, start=1):
            readings[name] = [read_metrics("before", name)]
            load.phase = phase
            log(f"fault {name}: breaking it for {OUTAGE:.0f} s")
            begin = time.monotonic()
            faults(name, broken=True)
            time.sleep(OUTAGE)
            faults(name, broken=False)
            mended = time.monotonic()
            # Until readers get good pages again, then a little longer for retried writes.
            deadline = mended + 30
            while time.monotonic() < deadline:
                recent = load.stats.between(time.monotonic() - 1.0, time.monotonic())
                if recent and not any(failed(status) for _t, status in recent):
                    break
                time.sleep(0.2)
            readings[name].append(read_metrics("after", name))
            time.sleep(SETTLE)
            windows.append((name, phase, begin, mended, time.monotonic()))
        load.phase = 0
        time.sleep(1.0)
        load.stop()
        elapsed = time.monotonic() - started
        cluster.replica.catch_up(timeout=60)

        found, _rows = load.stored_comments(cluster.primary.query)
        after = {t["id"]: load.view_total(t)[1] for t in targets}
        problems = []
        server_errors = False
        print(f"== cluster drill: {len(FAULTS)} faults under load, {elapsed:.0f} s ==")
        print(f"responses by status: {dict(sorted(load.stats.statuses.items(), key=str))}")
        for name, phase, begin, mended, end in windows:
            answers = load.stats.between(begin, end)
            errors = [t for t, status in answers if failed(status)]
            recovered = (max(errors) - begin) if errors else 0.0
            acked = {m for m, p in load.acknowledged_comments.items() if p == phase}
            lost_comments = len(acked - found)
            target = targets[phase]
            recorded = after[target["id"]] - before[target["id"]]
            lost_views = max(0, load.acknowledged_views[phase] - recorded)
            kinds = collections.Counter(status for _t, status in answers if failed(status))
            print(readings[name][0])
            print(
                f"fault {name}: 5xx {len(errors)}, recovered in {recovered:.1f} s, "
                f"lost comments {lost_comments}, lost views {lost_views}"
                f"  ({len(acked)} comments and {load.acknowledged_views[phase]} views "
                f"acknowledged; broken {mended - begin:.1f} s; {dict(kinds)})"
            )
            print(readings[name][1])
            server_errors = server_errors or bool(kinds.get(500))
            if lost_comments:
                problems.append(f"{name}: {lost_comments} comments lost")
            if lost_views:
                problems.append(f"{name}: {lost_views} views lost")
        for part in ("comments", "views"):
            if load.unsent[part]:
                problems.append(f"{load.unsent[part]} {part} never acknowledged (retries gave up)")
        if load.rejected:
            print(f"requests refused outright (not retried): {dict(load.rejected)}")
            problems.append(f"comments refused outright: {dict(load.rejected)}")
        if not load.acknowledged_comments:
            problems.append("no comment was acknowledged at all")
        for problem in problems:
            print(f"LOST: {problem}")
        kept = BASE_DIR / ".local" / "cluster-drill-logs"  # the last run's, for a look after
        shutil.rmtree(kept, ignore_errors=True)
        kept.mkdir(parents=True)
        for app in cluster.app_servers:
            shutil.copy(app.log_path, kept)
        shutil.copy(cluster.nginx.conf.parent / "error.log", kept / "nginx-error.log")
        if server_errors or load.stats.statuses.get(500):
            times = sorted(t - started for t, status in load.stats.events if status == 500)
            print(
                f"500 answers at {[round(t, 1) for t in times]} s into the run (faults began at "
                f"{[round(w[2] - started, 1) for w in windows]} s); logs kept in {kept}"
            )
        print("RESULT:", "FAIL" if problems else "PASS")
        if problems:
            for app in cluster.app_servers:
                print(f"--- {app.name} log ---\n{app.log_tail(2000)}")
        return 1 if problems else 0
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
