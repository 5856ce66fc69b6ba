"""Reads from streaming replicas, everything else from the primary (``DATABASE_REPLICA_URLS``).

Only a request that cannot have written anything, and whose reader cannot expect to see a
write of their own, reads from a replica:

* ``GET``/``HEAD`` without a session cookie (so never the desk, never a signed-in reader),
* without the ``newsroom_primary`` cookie, set for ``NEWSROOM_READ_PRIMARY_SECONDS`` on the
  answer to any request that wrote through the ORM (a comment, a live entry): that reader's
  next pages come from the primary and show what they just sent (read-your-writes),
* and only outside a transaction on the primary (a read inside one stays on it).

Management commands, periodic jobs, migrations and every write use the primary
(``allow_migrate`` only allows it). A replica is used while it answers and replays the
primary's WAL less than ``NEWSROOM_REPLICA_MAX_LAG_S`` behind; each process looks at most
every ``NEWSROOM_REPLICA_CHECK_SECONDS`` (one short connection, in the request that finds the
last look too old). A replica that stops answering mid-request is looked at again at once
(``probe``); when it is unusable the request (a GET, so harmless to run twice) runs again on
the primary: the reader gets the page, not an error.

The lag figure is 0 while the replica has replayed all it received, else the age of the last
replayed transaction, so an idle primary does not look like a lagging replica.
"""

from __future__ import annotations

import contextvars
import logging
import random
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings

PRIMARY = "default"
READ_PRIMARY_COOKIE = "newsroom_primary"
logger = logging.getLogger("ops.routers")

LIBPQ_OPTIONS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "passfile"}
LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
       END
"""


@dataclass
class Route:
    """What this request may read from, and what it did."""

    replica_allowed: bool
    replica: str | None = None  # chosen on the first read, kept for the whole request
    wrote: bool = False
    chosen: bool = False


_route: contextvars.ContextVar[Route | None] = contextvars.ContextVar("route", default=None)


@dataclass
class ReplicaStatus:
    checked_at: float = float("-inf")
    usable: bool = False
    lag: float | None = None
    error: str = ""


@dataclass
class ReplicaMonitor:
    """This process's view of each replica: usable (up, lag under the limit) or not."""

    statuses: dict[str, ReplicaStatus] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    probing: set[str] = field(default_factory=set)

    def status(self, alias: str) -> ReplicaStatus:
        return self.statuses.setdefault(alias, ReplicaStatus())

    def usable(self, alias: str) -> bool:
        status = self.status(alias)
        if time.monotonic() - status.checked_at < settings.NEWSROOM_REPLICA_CHECK_SECONDS:
            return status.usable
        with self.lock:  # one thread looks; the others go on with what was last known
            if alias in self.probing:
                return status.usable
            self.probing.add(alias)
        try:
            return self.probe(alias).usable
        finally:
            with self.lock:
                self.probing.discard(alias)

    def probe(self, alias: str) -> ReplicaStatus:
        """Connect to the replica now and measure its lag."""
        import psycopg

        status = ReplicaStatus(checked_at=time.monotonic())
        params = settings.DATABASES[alias]
        libpq = {  # TLS and the like, as Django's own connection to this replica has them
            key: value for key, value in params.get("OPTIONS", {}).items() if key in LIBPQ_OPTIONS
        }
        try:
            with psycopg.connect(
                host=params["HOST"] or None,
                port=params["PORT"] or None,
                user=params["USER"] or None,
                password=params["PASSWORD"] or None,
                dbname=params["NAME"],
                connect_timeout=max(1, int(settings.NEWSROOM_REPLICA_CONNECT_TIMEOUT)),
                autocommit=True,
                **libpq,
            ) as conn:
                in_recovery, lag = conn.execute(LAG_SQL).fetchone()
            status.lag = float(lag) if in_recovery else 0.0
            status.usable = status.lag <= settings.NEWSROOM_REPLICA_MAX_LAG_S
            if not status.usable:
                status.error = f"lag {status.lag:.1f} s"
        except Exception as exc:
            status.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        previous = self.statuses.get(alias)
        if previous is not None and previous.usable != status.usable:
            state = "back in use" if status.usable else f"skipped: {status.error}"
            logger.warning("replica %s %s", alias, state)
        self.statuses[alias] = status
        return status

    def pick(self) -> str | None:
        aliases = list(settings.NEWSROOM_REPLICA_ALIASES)
        random.shuffle(aliases)
        for alias in aliases:
            if self.usable(alias):
                return alias
        return None


monitor = ReplicaMonitor()


class PrimaryReplicaRouter:
    """Django database router: see the module docstring."""

    def db_for_read(self, model, **hints):
        route = _route.get()
        if route is None or not route.replica_allowed:
            return PRIMARY
        from django.db import connections

        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if not route.chosen:
            route.replica, route.chosen = monitor.pick(), True
        return route.replica or PRIMARY

    def db_for_write(self, model, **hints):
        route = _route.get()
        if route is not None:
            route.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the primary's very rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def replica_allowed(request) -> bool:
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and READ_PRIMARY_COOKIE not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


class ReplicaRoutingMiddleware:
    """Decides per request whether reads may go to a replica (installed with replicas only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        route = Route(replica_allowed=replica_allowed(request))
        token = _route.set(route)
        try:
            response = self.get_response(request)
            if route.replica and response.status_code >= 500:
                # The replica went away (or fell behind) under this request (503 "back in a
                # moment", or 500 with DEBUG on): look now, and if it is unusable run the
                # request again on the primary.
                alias = route.replica
                if not monitor.probe(alias).usable:
                    route = Route(replica_allowed=False)
                    _route.set(route)
                    response = self.get_response(request)
        finally:
            _route.reset(token)
        if route.wrote:
            response.set_cookie(
                READ_PRIMARY_COOKIE,
                "1",
                max_age=settings.NEWSROOM_READ_PRIMARY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def replica_report() -> dict[str, str]:
    """Each replica's state as this process sees it now (for the health endpoint)."""
    report = {}
    for alias in settings.NEWSROOM_REPLICA_ALIASES:
        status = monitor.probe(alias)
        if status.usable:
            report[alias] = f"ok, lag {status.lag:.1f} s"
        else:
            report[alias] = f"skipped: {status.error}"
    return report


def reading_connection():
    """The connection for a plain read in this request: raw SQL (``connection.cursor()``)
    never asks the router, so read-only raw queries on readers' pages use this instead."""
    from django.db import connections, router

    return connections[router.db_for_read(None)]
