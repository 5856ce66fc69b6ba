import sys

from django.conf import settings
from django.db import DatabaseError
from django.http import (
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import check_for_language


def root(request):
    """The bare domain opens the Arabic site, or the language the reader chose before."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)  # the switch's script sets it
    if not language or not check_for_language(language):
        language = settings.LANGUAGE_CODE
    response = HttpResponseRedirect(f"/{language}/")
    add_never_cache_headers(response)  # one reader's choice: never kept for the next one
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ("Cookie",))
    return response


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
