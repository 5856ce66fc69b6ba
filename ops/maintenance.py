"""Maintenance jobs (search vocabulary, view-counter purge, backups, imports) run outside the
web's statement timeout.

The site's connections carry ``statement_timeout`` = NEWSROOM_DB_STATEMENT_TIMEOUT_MS (30 s):
right for a page, wrong for a job over a million articles, which then gets cancelled
halfway. ``job_session()`` gives the job's connection its own limit,
NEWSROOM_JOB_STATEMENT_TIMEOUT_MS (30 minutes by default: long enough for one batch of any
job, short enough that a stuck statement ends), and puts the web's back afterwards. The jobs
also work in batches, so no single statement needs the whole limit.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection


def _set_timeout(milliseconds: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}"])


@contextmanager
def job_session(timeout_ms: int | None = None):
    """``with job_session():`` the job's statements may run up to the job timeout."""
    if timeout_ms is None:
        timeout_ms = settings.NEWSROOM_JOB_STATEMENT_TIMEOUT_MS
    _set_timeout(timeout_ms)
    try:
        yield
    finally:
        if connection.connection is not None and not connection.needs_rollback:
            _set_timeout(settings.NEWSROOM_DB_STATEMENT_TIMEOUT_MS)


def statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]
