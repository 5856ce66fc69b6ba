"""The health endpoint for load balancers: the database, the cache and the migrations."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from newsroom.client import proxy_report

# Once this process has seen every migration applied, it stops re-reading the migration
# graph on each probe (a new release with new migrations starts new processes).
_migrations_ok = False


@never_cache
def health(request):
    """For load balancers: 200 when the database, the cache and the migrations are all right.

    JSON ``{"status": "ok"|"fail", "checks": {...}}``; 503 as soon as one check fails.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"fail: {type(exc).__name__}"
    try:
        if hasattr(cache, "ping"):  # Redis (caching.backends.RedisCache hides outages elsewhere)
            cache.ping()
        cache.set("health:probe", "1", 10)
        checks["cache"] = "ok" if cache.get("health:probe") == "1" else "fail: no read-back"
    except Exception as exc:
        checks["cache"] = f"fail: {type(exc).__name__}"
    if checks["database"] == "ok":
        checks["migrations"] = _migrations_status()
    else:
        checks["migrations"] = "unknown"
    healthy = all(value == "ok" for value in checks.values())
    # Informative: the proxy setting and how many requests came without an address lately.
    body = {"status": "ok" if healthy else "fail", "checks": checks, "proxy": proxy_report()}
    if settings.NEWSROOM_REPLICA_ALIASES:
        # Informative only: a replica that is down or behind is skipped, not a reason to take
        # this app server out of rotation.
        from ops.routers import replica_report

        body["replicas"] = replica_report()
    return JsonResponse(body, status=200 if healthy else 503)


def _migrations_status() -> str:
    global _migrations_ok
    if _migrations_ok:
        return "ok"
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return f"fail: {type(exc).__name__}"
    if pending:
        return f"fail: {len(pending)} pending"
    _migrations_ok = True
    return "ok"
