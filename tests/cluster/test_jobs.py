"""Periodic jobs run exactly once per period with two runners racing (ops/jobs.py)."""

import subprocess

import pytest

from tools.cluster.engines import BASE_DIR, PYTHON

pytestmark = pytest.mark.cluster
SECONDS = 6


def test_two_runners_run_each_period_once(cluster):
    env = cluster.env() | {
        "NEWSROOM_JOB_PURGE_VIEW_READERS_SECONDS": "1",  # a new period every second
        "NEWSROOM_JOB_REFRESH_SEARCH_TERMS_SECONDS": "86400",
    }
    command = [PYTHON, "manage.py", "run_jobs", "--every", "0.05", "--for", str(SECONDS)]
    runners = [
        subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [runner.communicate(timeout=60) for runner in runners]
    for runner, (_out, err) in zip(runners, outputs, strict=True):
        assert runner.returncode == 0, err
    passes = [out.splitlines() for out, _err in outputs]
    assert all(len(lines) >= 5 for lines in passes), "both runners made many passes"
    runs = [sum("purge_view_readers" in line for line in lines) for lines in passes]
    pids = [runner.pid for runner in runners]

    rows = cluster.primary.query(
        "SELECT period_start, runner FROM newsroom_jobrun WHERE job = 'purge_view_readers'"
        " AND started_at > now() - interval '60 seconds' ORDER BY period_start"
    )
    mine = [(start, runner) for start, runner in rows if int(runner.rsplit(":", 1)[1]) in pids]
    # Each run a runner reported is one row, one per period: no period ran twice.
    assert sum(runs) == len(mine) >= SECONDS - 3
    assert len({start for start, _runner in mine}) == len(mine)
    # And none was skipped: the seconds between the first and the last all ran (once).
    seconds = sorted(int(start.timestamp()) for start, _runner in rows)
    ours = [s for s in seconds if s >= int(mine[0][0].timestamp())]
    assert ours == list(range(ours[0], ours[0] + len(ours)))
