"""Backups: the database with pg_dump (custom format) plus a tar of the uploads, and back.

A backup is a folder ``<NEWSROOM_BACKUP_DIR>/<UTC timestamp>/`` holding ``database.dump``,
``media.tar.gz`` (``MEDIA_ROOT``, or every object of the S3 bucket with ``NEWSROOM_S3_BUCKET``)
and ``manifest.json`` (the row count of every model's table and the total of
article views when it was taken). ``restore`` loads a backup into a database (the configured
one, or another by name) and compares the restored counts with the manifest.

The PostgreSQL client programs come from ``NEWSROOM_PG_BIN`` when set (use the ones matching
an outside server's major version), else from the pgserver package (PostgreSQL 16).
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connection

from ops.maintenance import job_session


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


def create_backup(destination: Path | None = None, *, progress=None) -> Path:
    """Dump the database and archive the uploads into a new timestamped folder.

    pg_dump works in one snapshot on its own connection, under no statement timeout (it sets
    its own, 0); the manifest's row counts, which read every table once (a million articles
    take seconds, more on a busy machine), run under the jobs' timeout, not the web's
    (ops/maintenance.py). ``progress(message)`` is told each step and how long it took.
    """
    report = progress or (lambda message: None)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(destination or settings.NEWSROOM_BACKUP_DIR) / stamp
    folder.mkdir(parents=True, exist_ok=False)
    settings_dict = connection.settings_dict
    started = time.monotonic()
    report(f"pg_dump of {settings_dict['NAME']} …")
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
    size = (folder / "database.dump").stat().st_size
    report(f"database dumped: {size / 2**20:,.0f} MiB in {time.monotonic() - started:,.1f} s")
    step = time.monotonic()
    with job_session(), connection.cursor() as cursor:
        manifest = {"created": stamp, "database": settings_dict["NAME"], **figures(cursor)}
    report(f"rows counted for the manifest in {time.monotonic() - step:,.1f} s")
    step = time.monotonic()
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        storage = _media_storage()
        if storage is not None:  # the S3 bucket: every object, by name
            for name in stored_names(storage):
                with storage.open(name, "rb") as handle:
                    data = handle.read()
                info = tarfile.TarInfo(f"media/{name}")
                info.size, info.mtime = len(data), time.time()
                archive.addfile(info, io.BytesIO(data))
        elif media_root.exists():
            archive.add(media_root, arcname="media")
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    report(f"media archived in {time.monotonic() - step:,.1f} s")
    return folder


def _media_storage():
    """The default storage when it is not local files (the S3 bucket), else None."""
    from django.core.files.storage import FileSystemStorage, storages

    storage = storages["default"]
    return None if isinstance(storage, FileSystemStorage) else storage


def stored_names(storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``folder``."""
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


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
    storage = None if media_root else _media_storage()
    with tempfile.TemporaryDirectory() as unpacked:
        target = Path(unpacked) if storage is not None else Path(media_root or settings.MEDIA_ROOT)
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / "media.tar.gz") as archive:
            members = [m for m in archive.getmembers() if m.name.startswith("media")]
            for member in members:
                member.name = member.name[len("media") :].lstrip("/") or "."
            archive.extractall(target, members=members, filter="data")
        if storage is not None:  # back into the bucket, each object under its own name
            from django.core.files import File

            for path in sorted(p for p in target.rglob("*") if p.is_file()):
                name = path.relative_to(target).as_posix()
                if storage.exists(name):
                    storage.delete(name)
                with path.open("rb") as handle:
                    storage.save(name, File(handle, name=path.name))
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
