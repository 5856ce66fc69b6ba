"""`make serve`'s stack (deploy/serve.sh: nginx in front of gunicorn on a Unix socket, DEBUG off)
started once for the tests of this folder, on a free loopback port and its own database
(serve_test_newsroom, never the demo). Skips, saying why, when nginx is missing and cannot be
installed. ``manage`` runs Python in that stack's database (to seed it and read it back).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.template_db import copy_of_template

ROOT = Path(__file__).resolve().parents[2]
SERVE_DB = "serve_test_newsroom"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="package")
def stack(django_db_blocker):
    if not shutil.which("nginx") and os.geteuid() != 0:
        pytest.skip("nginx is not installed (apt-get install nginx-light) and we are not root")
    with django_db_blocker.unblock():  # a copy of the tests' migrated template, if new
        copy_of_template(SERVE_DB)
    port = free_port()
    env = {
        **os.environ,
        "SERVE_PORT": str(port),
        # Not under pytest's basetemp: other pytest runs on the machine prune old ones.
        "SERVE_STATE": tempfile.mkdtemp(prefix="newsroom-serve-test-"),
        "NEWSROOM_DB_NAME": SERVE_DB,
        "GUNICORN_WORKERS": "2",
    }
    started = subprocess.run(
        ["bash", "deploy/serve.sh", "start"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if started.returncode == 3:
        pytest.skip(f"nginx could not be installed: {started.stderr.strip()}")
    assert started.returncode == 0, started.stderr[-5000:]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stopped = subprocess.run(
            ["bash", "deploy/serve.sh", "stop"], cwd=ROOT, env=env, capture_output=True
        )
        for name in ("gunicorn.log", "gunicorn-views.log", "nginx-error.log"):
            log = Path(env["SERVE_STATE"]) / name
            sys.stderr.write(f"--- {name}\n")
            sys.stderr.write(log.read_text()[-3000:] if log.exists() else "(none)\n")
        shutil.rmtree(env["SERVE_STATE"], ignore_errors=True)  # after the stop: pid files
        assert stopped.returncode == 0, stopped.stderr


def manage_shell(code: str) -> str:
    """Run ``code`` in ``manage.py shell`` against the served stack's database; what it printed."""
    env = {**os.environ, "NEWSROOM_DB_NAME": SERVE_DB, "DJANGO_DEBUG": "0"}
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()
