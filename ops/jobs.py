"""Periodic jobs, each run exactly once per period however many app servers run them.

Every app server may run ``manage.py run_jobs`` beside gunicorn (no cron, no single
"scheduler machine" to lose). Each pass, for each job in ``NEWSROOM_PERIODIC_JOBS``
(management command name → period in seconds), a runner opens a transaction on the primary,
takes the job's PostgreSQL advisory lock without waiting (``pg_try_advisory_xact_lock``: a
runner that finds it taken moves on), and inserts the job's row for the current period into
``newsroom_jobrun`` (``ON CONFLICT DO NOTHING``: the unique pair job + period start). Only
the runner whose insert made a row runs the command, inside that same transaction: if the
command fails or the runner dies, the row goes with the rollback and the next pass (on any
server) runs it again. So a period's job runs once, and is not lost with a machine.

Commands in ``NEWSROOM_EVERY_PASS_JOBS`` (the outbox's ``send_deliveries``) are not
periodic: every runner runs them at every pass, and they share their work out themselves
(``SELECT … FOR UPDATE SKIP LOCKED``), so more servers send more.

Scheduled publishing and embargo release need no job: ``Article.objects.published()``
compares times, and cached lists expire when the next scheduled article goes live.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.models import JobRun
from ops.routers import PRIMARY

logger = logging.getLogger("ops.jobs")
HOST = socket.gethostname()
KEEP_DAYS = 30


def period_start(period_seconds: int, now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    stamp = int(now.timestamp()) // period_seconds * period_seconds
    return datetime.fromtimestamp(stamp, tz=UTC)


def run_once(job: str, start: datetime, work: Callable[[], object]) -> bool:
    """Run ``work`` if no runner has run ``job`` for the period starting at ``start``.

    Returns whether this call ran it."""
    with transaction.atomic(using=PRIMARY):
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock(hashtext('newsroom-job:' || %s))", [job]
            )
            if not cursor.fetchone()[0]:
                return False  # another runner is at this job right now
            cursor.execute(
                "INSERT INTO newsroom_jobrun (job, period_start, started_at, runner)"
                " VALUES (%s, %s, now(), %s) ON CONFLICT (job, period_start) DO NOTHING"
                " RETURNING id",
                [job, start, f"{HOST}:{os.getpid()}"],
            )
            row = cursor.fetchone()
        if row is None:
            return False  # done for this period already
        work()
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("UPDATE newsroom_jobrun SET finished_at = now() WHERE id = %s", [row[0]])
    return True


def runner_seen(now: datetime | None = None) -> bool:
    """Whether a ``run_jobs`` runner made a pass lately: the job with the shortest period has
    a run started within three of its periods (and a tick). The desk warns when none has:
    what the runners do (the outbox's deliveries, agency wires) then waits."""
    periods = [int(period) for period in settings.NEWSROOM_PERIODIC_JOBS.values() if period]
    if not periods:
        return True  # nothing periodic to judge by

    window = 3 * min(periods) + settings.NEWSROOM_JOBS_TICK_SECONDS
    since = (now or timezone.now()) - timedelta(seconds=window)
    return JobRun.objects.filter(started_at__gte=since).exists()


def runner_warning() -> str | None:
    """The desk's warning when no runner made a pass lately (what the runners do waits)."""
    if runner_seen():
        return None
    return _(
        "No job runner has run lately (manage.py run_jobs, beside the app server): "
        "deliveries wait until one runs."
    )


def run_due(now: datetime | None = None) -> list[str]:
    """One pass over every periodic job: the names of those this call ran."""
    ran = []
    for job, period in settings.NEWSROOM_PERIODIC_JOBS.items():
        try:
            if run_once(job, period_start(int(period), now), lambda job=job: call_command(job)):
                ran.append(job)
        except Exception:
            logger.exception("periodic job %s failed (the next pass tries again)", job)
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute(
            "DELETE FROM newsroom_jobrun WHERE period_start < now() - make_interval(days => %s)",
            [KEEP_DAYS],
        )
    return ran


def run_every_pass() -> list[str]:
    """The commands every runner runs at every pass (they lock their own rows): those that
    finished. A failure is logged and the next pass tries again."""
    ran = []
    for job in getattr(settings, "NEWSROOM_EVERY_PASS_JOBS", ()):
        try:
            call_command(job, verbosity=0)
        except Exception:
            logger.exception("job %s failed (the next pass tries again)", job)
        else:
            ran.append(job)
    return ran
