import sys

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import (
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.template import loader
from django.urls import reverse
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache

# Once this process has seen every migration applied, it stops re-reading the migration
# graph on each probe (a new release with new migrations starts new processes).
_migrations_ok = False


def root(request):
    """The bare domain opens the Arabic site, or the language the reader chose before."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not language or not check_for_language(language):
        language = settings.LANGUAGE_CODE
    return HttpResponseRedirect(f"/{language}/")


def favicon(request):
    """``/favicon.ico`` for clients that ask for it without reading the page's icon link."""
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def robots_txt(request):
    """robots.txt: keep crawlers out of the admin and search results; point at the sitemaps."""
    from newsroom.links import absolute

    lines = ["User-agent: *"]
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/admin/", f"Disallow: /{code}/search/"]
    lines += [
        "",
        f"Sitemap: {absolute(request, reverse('sitemap'))}",
        f"Sitemap: {absolute(request, reverse('news_sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


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
    body = {"status": "ok" if healthy else "fail", "checks": checks}
    if settings.NEWSROOM_REPLICA_ALIASES:
        # Informative only: a replica that is down or behind is skipped, not a reason to take
        # this app server out of rotation.
        from newsroom.routers import replica_report

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


def server_error(request, template_name="500.html"):
    """handler500: a lost database connection is a 503 ("back in a moment"), not a 500.

    Called inside Django's exception handling, so ``sys.exc_info()`` is the error. Both pages
    render without touching the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError) and _database_is_unavailable(error):
        body = loader.get_template("503.html").render({"retry_after": 5})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "5"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())


def _database_is_unavailable(error) -> bool:
    """Connection-level failures (server gone, restarting, refusing) and statement timeouts."""
    from django.db import InterfaceError, OperationalError

    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or ""
    # 08: connection exception, 57P: operator intervention (shutdown), 57014: query cancelled
    # (statement_timeout), 53: insufficient resources (too many connections).
    return sqlstate == "" or sqlstate[:2] in {"08", "53"} or sqlstate.startswith("57")
