"""Where the database lives: ``DATABASE_URL`` when set, else an embedded PostgreSQL.

The embedded server comes from the ``pgserver`` package (PostgreSQL 16 on a Unix socket,
no TCP port). Its data folder sits inside the project (``.pgdata/``, git-ignored). The
first process that needs it starts it; every later process, ``make run`` and ``make test``
alike, reuses the same running server (pgserver serialises start-up with a file lock and
reads ``postmaster.pid``), so two servers never run on one data folder. The demo newsroom
lives in the ``newsroom`` database; pytest-django creates its own ``test_newsroom``.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

EMBEDDED_DB_NAME = "newsroom"


def database_settings(base_dir: Path) -> dict:
    """Return Django's ``DATABASES["default"]`` for this process."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return parse_database_url(url)
    return embedded_database(base_dir / ".pgdata")


def parse_database_url(url: str) -> dict:
    """Parse ``postgres://user:pass@host:port/name?host=/socket/dir`` into Django settings."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL must be a PostgreSQL URL, not {parts.scheme!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "newsroom",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": query.pop("host", None) or unquote(parts.hostname or ""),
        "PORT": str(parts.port or ""),
        "OPTIONS": query,
    }


def embedded_database(pgdata: Path) -> dict:
    """Start (or join) the embedded PostgreSQL in ``pgdata`` and return its settings."""
    import warnings

    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import pgserver  # imported here: only needed without DATABASE_URL

    server = pgserver.get_server(pgdata, cleanup_mode=None)  # keep running for the next process
    info = server.get_postmaster_info()
    # NEWSROOM_DB_NAME picks another database on the same server (benchmarks use their own).
    name = os.environ.get("NEWSROOM_DB_NAME", "").strip() or EMBEDDED_DB_NAME
    marker = pgdata / f".db-created-{name}"
    if not marker.exists():
        _create_database(info.socket_dir, info.port, name)
        marker.touch()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
        "OPTIONS": {},
    }


def client_side_cursor(connection):
    """A cursor of Django's ``connection`` that binds its parameters client-side, as Django's
    default cursor does, where the connection binds them server-side (settings.py): for one
    statement of several commands with parameters (the view counter's ``SET LOCAL …;
    EXECUTE …``, one round trip), which PostgreSQL's extended protocol refuses. Wrapped as
    Django wraps its own cursors (errors, thread checks, the query log tests read)."""
    from django.db.backends.postgresql.base import Cursor  # psycopg's ClientCursor

    connection.ensure_connection()
    return connection._prepare_cursor(Cursor(connection.connection))


def _create_database(socket_dir, port, name: str) -> None:
    import psycopg

    with psycopg.connect(
        host=str(socket_dir), port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
