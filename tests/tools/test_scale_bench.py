"""`make bench-scale` names the jobs that failed (or did not do their work) and exits 1."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench(monkeypatch):
    spec = importlib.util.spec_from_file_location(
        "scale_bench", ROOT / "tools" / "bench" / "scale_bench.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    calls = []
    monkeypatch.setattr(
        module, "manage", lambda env, *a, **k: calls.append(a) or subprocess.CompletedProcess(a, 0)
    )
    monkeypatch.setattr(module, "shell", lambda env, code: "LEFT 0" if "LEFT" in code else "7")
    module.calls = calls
    return module


def run(bench, monkeypatch, *argv):
    if "--long-tail-sample" not in argv:  # the jobs alone: no stack to serve
        argv = (*argv, "--long-tail-sample", "0")
    monkeypatch.setattr(sys, "argv", ["scale_bench.py", *argv])
    return bench.main()


def test_a_long_tail_with_failed_requests_fails_the_run(bench, monkeypatch, capsys):
    monkeypatch.setattr(bench, "run_job", lambda env, name, cmd: (0, ""))
    monkeypatch.setattr(bench, "check", lambda env, name, backups: None)
    asked = []
    monkeypatch.setattr(
        bench,
        "long_tail",
        lambda database, sample: (
            asked.append((database, sample))
            or (["long tail (12 req/s) = 0.10× the plain Django peer"], "3 failed requests")
        ),
    )
    assert run(bench, monkeypatch, "--database", "other", "--long-tail-sample", "500") == 1
    out, err = capsys.readouterr()
    assert asked == [("other", 500)]
    assert "0.10× the plain Django peer" in out
    assert "long tail (3 failed requests)" in err


def test_a_failed_job_is_named_and_fails_the_run(bench, monkeypatch, capsys):
    monkeypatch.setattr(
        bench, "run_job", lambda env, name, cmd: (1 if name == "purge_view_readers" else 0, "")
    )
    monkeypatch.setattr(bench, "check", lambda env, name, backups: None)
    assert run(bench, monkeypatch, "--database", "other", "--articles", "9") == 1
    out, err = capsys.readouterr()
    assert "make bench-scale FAILED in: purge_view_readers" in err
    assert "reusing 7 articles" in out  # another database is used as it is


def test_a_job_that_left_its_work_undone_fails(bench, monkeypatch, capsys):
    monkeypatch.setattr(bench, "run_job", lambda env, name, cmd: (0, ""))
    monkeypatch.setattr(bench, "shell", lambda env, code: "LEFT 12" if "LEFT" in code else "7")
    assert run(bench, monkeypatch, "--database", "other", "--view-backlog", "0") == 1
    err = capsys.readouterr().err
    assert "FAILED in: refresh_search_terms, purge_view_readers, backup" in err


def test_the_bench_database_of_another_size_is_made_again(bench, monkeypatch, capsys):
    monkeypatch.setattr(bench, "run_job", lambda env, name, cmd: (0, ""))
    monkeypatch.setattr(bench, "check", lambda env, name, backups: None)
    assert run(bench, monkeypatch, "--articles", "9", "--view-backlog", "0") == 0
    assert any(call[0] == "generate_newsroom" and "9" in call for call in bench.calls)
