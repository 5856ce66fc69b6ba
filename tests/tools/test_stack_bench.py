"""`make bench` fails (exit status 1) and names the part that failed."""

import importlib.util
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location(
        "bench_under_test", ROOT / "tools" / "bench" / "stack_bench.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path)
    monkeypatch.setattr(module, "ensure_tool", lambda binary, package: True)
    monkeypatch.delenv("BENCH_PARTS", raising=False)
    # No real peers, make targets or cluster from a unit test: each test gives its own.
    monkeypatch.setattr(module, "run_peers", dict)
    monkeypatch.setattr(module, "other_targets", lambda: None)
    module.real_measure_cluster = module.measure_cluster
    monkeypatch.setattr(module, "measure_cluster", lambda peers, results: results)
    return module


def test_a_failed_part_is_named_and_fails_the_run(bench, monkeypatch, capsys):
    def generate_fails():
        raise subprocess.CalledProcessError(1, ["python", "manage.py", "generate_newsroom"])

    monkeypatch.setattr(bench, "prepare_database", generate_fails)
    assert bench.main() == 1
    err = capsys.readouterr().err
    assert "make bench FAILED in: database: python manage.py generate_newsroom exited with 1" in err


def test_failed_requests_and_benchmarks_fail_the_run(bench, monkeypatch, capsys):
    monkeypatch.setattr(bench, "prepare_database", lambda: True)
    monkeypatch.setattr(bench, "manage", lambda *a, **k: subprocess.CompletedProcess(a, 0))
    monkeypatch.setattr(bench, "bench_paths", lambda: {"article": "/a"})
    monkeypatch.setattr(bench, "run_peers", dict)
    ours = {"article cached": {"rps": 10.0, "p50_ms": 1, "p99_ms": 2, "errors": 3}}
    monkeypatch.setattr(bench, "measure_stack", lambda paths: ours)

    def search_bench_fails():
        bench.failed("make bench-search", "exited with 2")

    monkeypatch.setattr(bench, "other_targets", search_bench_fails)
    assert bench.main() == 1
    err = capsys.readouterr().err
    assert "make bench-search: exited with 2" in err
    assert "our stack: 3 failed requests" in err


def test_a_clean_run_exits_0(bench, monkeypatch):
    monkeypatch.setattr(bench, "prepare_database", lambda: True)
    monkeypatch.setattr(bench, "manage", lambda *a, **k: subprocess.CompletedProcess(a, 0))
    monkeypatch.setattr(bench, "bench_paths", lambda: {"article": "/a"})
    monkeypatch.setattr(bench, "run_peers", dict)
    ours = {"article cached": {"rps": 10.0, "p50_ms": 1, "p99_ms": 2, "errors": 0}}
    monkeypatch.setattr(bench, "measure_stack", lambda paths: ours)
    monkeypatch.setattr(bench, "other_targets", lambda: None)
    assert bench.main() == 0


def run(rps, errors=0):
    return {"rps": rps, "p50_ms": 1, "p99_ms": 2, "errors": errors}


CLUSTER = {
    "article uncached, 1 app server": run(400.0),
    "article uncached, 2 app servers": run(500.0),
    "article cached, cluster nginx": run(30_000.0),
}


def test_the_cluster_lines_in_the_summary_and_results(bench, monkeypatch, capsys, tmp_path):
    import json

    monkeypatch.setenv("BENCH_PARTS", "peers,cluster")  # no database, no stack
    monkeypatch.setattr(bench, "prepare_database", lambda: pytest.fail("the stack ran"))
    monkeypatch.setattr(bench, "run_peers", lambda: {"static": run(40_000.0)})
    seen = {}

    def measure_cluster(peers, results):
        seen["peers"] = peers
        results.update(CLUSTER)
        results["static nginx"] = {**peers["static"], "source": "the static nginx peer"}

    monkeypatch.setattr(bench, "measure_cluster", measure_cluster)
    assert bench.main() == 0
    assert seen["peers"] == {"static": run(40_000.0)}  # the same run's peer, reused
    out = capsys.readouterr().out
    summary = (tmp_path / "summary.md").read_text()
    for text in (out, summary):
        assert (
            "cluster uncached article: 1 app server 400 req/s, 2 app servers 500 req/s behind "
            "the cluster's nginx = 1.25× (two/one" in text
        )
        assert (
            "cluster cached article: 30,000 req/s through the cluster's nginx, static nginx "
            "40,000 req/s (the static nginx peer) = 0.75×" in text
        )
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["cluster"]["article uncached, 2 app servers"]["rps"] == 500.0


def test_a_cluster_that_cannot_start_fails_the_run_and_says_why(bench, monkeypatch, capsys):
    from tools.cluster import engines

    monkeypatch.setenv("BENCH_PARTS", "cluster")

    class NoRedis(engines.Cluster):
        def start(self, load_demo=False):
            raise engines.EngineUnavailable(
                "redis-server is missing (apt-get install redis-server)"
            )

        def stop(self):
            pass

    monkeypatch.setattr(engines, "Cluster", NoRedis)
    monkeypatch.setattr(bench, "measure_cluster", bench.real_measure_cluster)
    assert bench.main() == 1
    err = capsys.readouterr().err
    assert "make bench FAILED in: cluster: RuntimeError: the cluster cannot start: " in err
    assert "redis-server is missing" in err


def test_a_cluster_step_failing_keeps_what_was_measured(bench, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("BENCH_PARTS", "cluster")

    def measure_cluster(peers, results):
        results.update(CLUSTER)
        results["article cached, cluster nginx"] = run(30_000.0, errors=2)
        raise RuntimeError("the static nginx did not start")

    monkeypatch.setattr(bench, "measure_cluster", measure_cluster)
    assert bench.main() == 1
    err = capsys.readouterr().err
    assert "cluster: RuntimeError: the static nginx did not start" in err
    assert "cluster: 2 failed requests" in err
    assert "2 app servers 500 req/s" in (tmp_path / "summary.md").read_text()


def test_an_unknown_part_fails_the_run(bench, monkeypatch, capsys):
    monkeypatch.setenv("BENCH_PARTS", "cluster,clsuter")
    assert bench.main() == 1
    assert "BENCH_PARTS: unknown clsuter" in capsys.readouterr().err


def test_a_ratio_against_a_peer_that_timed_out_says_it_is_not_comparable(bench):
    cold = {"article cold": run(90.0)}
    fine = bench.report(cold, {"wp_single": run(30.0)})
    assert "cold article (no fragments kept) = 3.0× WordPress uncached (goal ≥ 4×)\n" in fine
    assert "NOT COMPARABLE" not in fine
    timed_out = {**run(13.8), "timeouts": 32, "errors": 32}
    summary = bench.report(cold, {"wp_single": timed_out})
    line = next(ln for ln in summary.splitlines() if ln.startswith("cold article"))
    assert line.startswith("cold article (no fragments kept) = 6.5× WordPress uncached")
    assert "NOT COMPARABLE, WordPress timed out 32 times" in line
