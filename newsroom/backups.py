"""Backups: the database with pg_dump (custom format) plus a tar of the uploads, and back.

A backup is a folder ``<NEWSROOM_BACKUP_DIR>/<UTC timestamp>/`` holding ``database.dump``,
``media.tar.gz`` and ``manifest.json`` (the row count of every model's table and the total of
article views when it was taken). ``restore`` loads a backup into a database (the configured
one, or another by name) and compares the restored counts with the manifest.

The PostgreSQL client programs come from ``NEWSROOM_PG_BIN`` when set (use the ones matching
an outside server's major version), else from the pgserver package (PostgreSQL 16).
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connection


def pg_program(name: str) -> str:
    folder = os.environ.get("NEWSROOM_PG_BIN")
    if folder:
        return str(Path(folder) / name)
    try:
        import pgserver

        bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found: set NEWSROOM_PG_BIN")
    return found


def connection_env(settings_dict: dict, dbname: str | None = None) -> dict:
    """libpq environment variables for a Django database (no password on a command line)."""
    env = {**os.environ, "PGDATABASE": dbname or settings_dict["NAME"]}
    for key, var in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"),
                     ("PORT", "PGPORT")):  # fmt: skip
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS", {})
    if options.get("sslmode"):
        env["PGSSLMODE"] = options["sslmode"]
    env["PGOPTIONS"] = "-c statement_timeout=0"  # a dump may take longer than a page
    return env


def table_counts(cursor) -> dict[str, int]:
    """Rows in every model table, plus the sum of the articles' view counters."""
    counts = {}
    existing = set(connection.introspection.table_names(cursor))
    for model in apps.get_models():
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and table in existing:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def figures(cursor) -> dict:
    counts = table_counts(cursor)
    cursor.execute("SELECT coalesce(sum(view_count), 0) FROM articles_article")
    return {"tables": counts, "article_views": int(cursor.fetchone()[0])}


def create_backup(destination: Path | None = None) -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(destination or settings.NEWSROOM_BACKUP_DIR) / stamp
    folder.mkdir(parents=True, exist_ok=False)
    settings_dict = connection.settings_dict
    subprocess.run(
        [
            pg_program("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--file",
            folder / "database.dump",
        ],
        env=connection_env(settings_dict),
        check=True,
    )
    with connection.cursor() as cursor:
        manifest = {"created": stamp, "database": settings_dict["NAME"], **figures(cursor)}
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return folder


def ensure_database(settings_dict: dict, dbname: str) -> None:
    with psycopg.connect(
        **_libpq_kwargs(settings_dict),
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            conn.execute(f'CREATE DATABASE "{dbname}"')


def drop_database(settings_dict: dict, dbname: str) -> None:
    with psycopg.connect(
        **_libpq_kwargs(settings_dict), dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def _libpq_kwargs(settings_dict: dict) -> dict:
    kwargs = {"user": settings_dict.get("USER") or None, "host": settings_dict.get("HOST") or None,
              "port": settings_dict.get("PORT") or None,
              "password": settings_dict.get("PASSWORD") or None}  # fmt: skip
    return {k: v for k, v in kwargs.items() if v is not None}


def restore_backup(folder: Path, *, dbname: str | None = None, media_root: Path | None = None):
    """Load ``folder`` into ``dbname`` (default: the configured database) and the uploads into
    ``media_root`` (default: MEDIA_ROOT). Return (expected figures, restored figures)."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    settings_dict = connection.settings_dict
    dbname = dbname or settings_dict["NAME"]
    ensure_database(settings_dict, dbname)
    subprocess.run(
        [pg_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--exit-on-error",
         "--single-transaction", "--dbname", dbname, folder / "database.dump"],
        env=connection_env(settings_dict, dbname),
        check=True,
    )  # fmt: skip
    target = Path(media_root or settings.MEDIA_ROOT)
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar.gz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("media")]
        for member in members:
            member.name = member.name[len("media") :].lstrip("/") or "."
        archive.extractall(target, members=members, filter="data")
    with psycopg.connect(**_libpq_kwargs(settings_dict), dbname=dbname) as conn:
        with conn.cursor() as cursor:
            restored = {"tables": {}, "article_views": 0}
            for table in manifest["tables"]:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                restored["tables"][table] = cursor.fetchone()[0]
            cursor.execute("SELECT coalesce(sum(view_count), 0) FROM articles_article")
            restored["article_views"] = int(cursor.fetchone()[0])
    expected = {"tables": manifest["tables"], "article_views": manifest["article_views"]}
    return expected, restored
