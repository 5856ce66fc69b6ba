"""What every API request goes through, around the DRF view: the language, the rate limit,
the page cache (shared with the site's pages: same tags, same exact invalidation), the
conditional GET (ETag / Last-Modified → 304) and the headers for anonymous clients."""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext as _

# Django's own Accept-Language parser (q-values, malformed headers): LocaleMiddleware uses it.
from django.utils.translation.trans_real import parse_accept_lang_header

from api.errors import error_body
from api.params import LANGUAGE_ERROR, language_choices
from caching import pagecache
from newsroom.ratelimit import check_rate_limit, too_many_requests

RATE_SCOPE = "api"


def requested_language(request) -> tuple[str, str | None]:
    """``?lang=`` first, else the Accept-Language header, else Arabic; never the language
    cookie, so an answer depends on the URL and that one header only (nginx's microcache
    keys API answers on both, deploy/nginx.conf.template). A ``?lang`` we do not have:
    the header's language (or Arabic) and an error."""
    fallback = accepted_language(request.headers.get("Accept-Language", ""))
    asked = request.GET.get("lang")
    if asked is None:
        return fallback, None
    if asked.strip().lower() in language_choices():  # «EN» is English too
        return asked.strip().lower(), None
    with translation.override(fallback):
        message = LANGUAGE_ERROR % {
            "value": asked[:20],
            "choices": ", ".join(language_choices()),
        }
    return fallback, message


def accepted_language(header: str) -> str:
    """The first of our languages the header accepts (by its q-values), else Arabic."""
    for code, _quality in parse_accept_lang_header(header[:500]):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def json_response(body: dict, status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def finish(request, response, language: str):
    """Headers every answer carries, and a 304 when the client already has this version."""
    response["Content-Language"] = language
    response["Access-Control-Allow-Origin"] = "*"  # public, read-only, no credentials
    patch_vary_headers(response, ("Accept-Language",))
    if response.status_code == 200 and response.has_header("ETag"):
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        response = get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
    return response


def api_endpoint(view, cache_params: tuple[str, ...] = (), rate_scopes: tuple[str, ...] = ()):
    """Wrap a DRF view. The view sets ``response.page_tags`` (and optionally
    ``response.expires_at``, a Unix time) on the answers that may be kept."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        language, language_error = requested_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            for scope in (RATE_SCOPE, *rate_scopes):
                wait = check_rate_limit(request, scope, settings.NEWSROOM_RATE_LIMITS[scope])
                if wait is not None:
                    return finish(request, too_many_requests(request, wait, scope), language)
            if language_error:
                body = error_body(f"lang: {language_error}", {"lang": [language_error]})
                response = json_response(body, 400)
                response["Cache-Control"] = "no-store"
                return finish(request, response, language)
            cacheable = pagecache.request_is_cacheable(request)
            key = pagecache.page_key(request, ("lang", *cache_params)) if cacheable else None
            if cacheable:
                hit = pagecache.cached_response(request, key)
                if hit is not None:
                    return finish(request, hit, language)
            started = time.time_ns()
            # Fragments the view renders backdate the tag versions they create to this start.
            token = pagecache.page_render_started.set(started) if cacheable else None
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
            finally:
                if token is not None:
                    pagecache.page_render_started.reset(token)
            response["Content-Language"] = language  # kept with a stored answer
            tags = getattr(response, "page_tags", None)
            if (
                cacheable
                and tags is not None
                and pagecache.response_is_cacheable(request, response)
            ):
                expires_at = getattr(response, "expires_at", float("inf"))
                pagecache.store_response(request, response, key, tags, started, expires_at)
            elif response.status_code == 200:
                pagecache.mark_private(response)
            else:
                response["Cache-Control"] = "no-store"
            return finish(request, response, language)

    return wrapped


def api_not_found(request, *args, **kwargs):
    """Any other address under /api/v1/: a JSON 404 (not the site's HTML page), or the
    address with its missing slash (the catch-all route keeps APPEND_SLASH from seeing it)."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not-found":
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    language, _error = requested_language(request)
    with translation.override(language):
        response = json_response(error_body(_("No such address in the API.")), 404)
        response["Cache-Control"] = "no-store"
        return finish(request, response, language)
