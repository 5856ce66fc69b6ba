"""`make bench` fails (exit status 1) and names the part that failed."""

import importlib.util
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("bench_under_test", ROOT / "deploy" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path)
    monkeypatch.setattr(module, "ensure_tool", lambda binary, package: True)
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
