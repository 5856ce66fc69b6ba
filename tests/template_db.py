"""Every test database (one per xdist worker) is a copy of one migrated template database.

Migrating an empty database runs every migration of every app: about 7 s of CPU, once per
worker. Instead the first worker migrates ``test_newsroom_tpl_<digest>`` once (the digest of
every migration file and of requirements.lock: any change makes a new template) and every
worker's test database is made with ``CREATE DATABASE … TEMPLATE`` (Django's TEST TEMPLATE
setting); Django's own migrate then finds nothing to apply and only sends post_migrate. A
template is built under another name and renamed when complete, so a run stopped half-way
never leaves a half-migrated one; older templates are dropped. The same server as the tests
(the embedded one, or DATABASE_URL's).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "test_newsroom_tpl_"


def template_name() -> str:
    digest = hashlib.sha256((ROOT / "requirements.lock").read_bytes())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return PREFIX + digest.hexdigest()[:12]


def use_template() -> str:
    """Make sure the template exists, and name it as the test databases' TEMPLATE; its name."""
    from django.conf import settings
    from django.db import connection

    name = template_name()
    lock_path = Path(tempfile.gettempdir()) / f"newsroom-{name}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait for the first one's build
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [PREFIX + "%"])
            present = {row[0] for row in cursor.fetchall()}
        if name not in present:
            _build(name)
            _drop(present - {name})
    for database in settings.DATABASES.values():
        database.setdefault("TEST", {})["TEMPLATE"] = name
    return name


def copy_of_template(name: str) -> None:
    """Make database ``name`` a copy of the template unless it exists (a served stack's
    database: its own migrate then has nothing to apply)."""
    from django.db import connection

    template = use_template()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def _build(name: str) -> None:
    from django.db import connection

    building = name + "_building"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{building}"')
        cursor.execute(f'CREATE DATABASE "{building}"')
    env = {**os.environ, "NEWSROOM_DB_NAME": building}
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        env["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path="/" + building))
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    # The embedded server's "already created" marker (newsroom/database.py): the name goes.
    (ROOT / ".pgdata" / f".db-created-{building}").unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"migrating the test template database failed:\n{done.stderr[-3000:]}")
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')


def _drop(names) -> None:
    from django.db import connection

    with connection._nodb_cursor() as cursor:
        for old in names:
            try:
                cursor.execute(f'DROP DATABASE IF EXISTS "{old}"')
            except Exception:  # in use by another run: dropped next time
                pass
