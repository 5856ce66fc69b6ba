"""Whole-page caching for anonymous readers, with exact invalidation by dependency tags.

A cached page remembers the *tags* it was built from (``article:12``, ``section:3``,
``section-list:3``, ``home`` …) and the version each tag had when it was rendered. A tag's
version is a timestamp kept in the same cache; ``bump()`` replaces it. A hit is served only
when every tag still has the version the page saw, so a change to article 12 refreshes exactly
the pages that showed article 12 and leaves every other cached page alone.

Race-free by construction: ``bump()`` runs after the database commit, and a page is only
stored when every one of its tags was last bumped *before* its render started (minus a
clock-skew margin). A render that may have read data older than a bump is served but not kept.

A page kept whole (caching/fragments.py) is kept as a *recipe*: its literal HTML, with what
every page shows (the ticker, "most read": their fragments' keys) and the comment form's
signature named by a registered drawer (``register_drawer``) and drawn again at each hit.
Such an answer carries only the tags of its literal HTML and lasts up to
NEWSROOM_KEPT_ANSWER_SECONDS. A shared fragment gone stale is rendered again alone at the
hit, by its owner's ``register_redraw`` (the ticker, "most read"); a piece that cannot be
drawn at all makes the hit a miss, whose render keeps the answer again.

Who gets a cached page: GET/HEAD requests with no session and no flash-message cookie (so
never staff or logged-in readers), and only responses that set no cookie, are not private and
used no CSRF token (a cached token would belong to someone else). Responses carry
``Cache-Control: public, max-age=0, must-revalidate, s-maxage=N`` (browsers revalidate with
the ETag; shared caches such as nginx's microcache keep the page N seconds), ``ETag``,
``Last-Modified`` and ``Vary: Cookie``. Everyone else gets ``private, no-cache, no-store``.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags

from caching.tags import site as site_tag

TAG_PREFIX = "pagetag:"
SITE_TAG = site_tag()  # carried by every cached page: bumping it purges them all
PAGE_PREFIX = "page:"
# Headers kept with a cached page (everything else is recomputed per request).
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Referrer-Policy")


def page_cache():
    return caches[settings.NEWSROOM_PAGE_CACHE_ALIAS]


def _now_ns() -> int:
    return time.time_ns()


# When the page now being rendered started (set by CachedPageMixin): fragments rendered
# inside it backdate the tag versions they create to before it (caching/fragments.py).
page_render_started: ContextVar[int | None] = ContextVar("page_render_started", default=None)
# The tags of the fragments used by the page (or fragment) being rendered: a page shows what
# its fragments show, so it carries their tags too.
shown_tags: ContextVar[set[str] | None] = ContextVar("shown_tags", default=None)


def note_shown(tags: Iterable[str]) -> None:
    """Record that the page (or fragment) being rendered shows what ``tags`` name."""
    collected = shown_tags.get()
    if collected is not None:
        collected.update(tags)


# Tags -----------------------------------------------------------------------------------


def tag_versions(tags: Iterable[str]) -> dict[str, int | None]:
    """The current version of each tag; None for a tag not in the cache (new or evicted).

    A page whose tags include a missing one is never served: an evicted version must not
    make a page stored before the last bump look current again.

    With the file cache, versions already read are kept in this process (``_local_tier``)
    while the cache's epoch is the one they were read under: one file per call (once per
    request) instead of one per tag.
    """
    tags = list(tags)
    cache = page_cache()
    tier = _local_tier(cache)
    if tier is None:
        found = cache.get_many([TAG_PREFIX + tag for tag in tags])
        return {tag: found.get(TAG_PREFIX + tag) for tag in tags}
    known = tier.current()
    result = {tag: known.get(tag) for tag in tags}
    missing = [tag for tag, version in result.items() if version is None]
    if missing:
        found = cache.get_many([TAG_PREFIX + tag for tag in missing])
        for tag in missing:
            version = result[tag] = found.get(TAG_PREFIX + tag)
            if version is not None:  # never a miss: a tag set later is read again
                known[tag] = version
    return result


class LocalVersions:
    """Tag versions read from a file cache, kept by this process while they are current.

    Every bump ends by giving the cache a new *epoch* (a random token under ``EPOCH_KEY``).
    A tag given its first version does not: it was missing, and no process keeps a missing
    version, so none holds one it makes stale (a tag evicted and given a first version again
    may then differ here from the cache: entries stored with either look stale to the other,
    a miss, never a stale hit; content changes only with a bump). Versions are kept here under
    the epoch that was current *before* they were read, so they are never newer than the
    cache, and they are dropped as soon as a later read of the epoch finds another one: a
    version kept here is one the cache held after the epoch it is kept under was written.
    Kept versions are therefore as exact as reading the files at the moment the epoch was
    read: a page or fragment checked against them was current then, and one stored with
    them carries versions no newer than the cache's (it can only look stale sooner).
    Within a request the epoch is read once (the page is rendered as of its start); outside
    one (jobs, commands), at every call. Missing versions are never kept (read each time).
    """

    def __init__(self, cache):
        self.cache = cache
        self.epoch: str | None = None
        self.versions: dict[str, int] = {}

    def current(self) -> dict[str, int]:
        from newsroom.logging import current_request

        request = current_request.get()
        epoch = getattr(request, "_pagetag_epoch", None) if request is not None else None
        if epoch is None:
            epoch = self.cache.get(EPOCH_KEY)
            if epoch is None:  # never written, cleared or evicted: start one
                self.cache.add(EPOCH_KEY, _new_epoch(), timeout=None)
                epoch = self.cache.get(EPOCH_KEY)
            if request is not None and epoch is not None:
                request._pagetag_epoch = epoch
        if epoch is None:
            return {}  # the cache keeps nothing: nothing kept here either
        if epoch != self.epoch:
            versions: dict[str, int] = {}
            self.epoch, self.versions = epoch, versions  # one assignment for other threads
            return versions
        return self.versions

    def changed(self) -> None:
        """Tag versions were just written by this process: a new epoch, nothing kept."""
        self.cache.set(EPOCH_KEY, _new_epoch(), timeout=None)
        self.epoch, self.versions = None, {}
        from newsroom.logging import current_request

        request = current_request.get()
        if request is not None and hasattr(request, "_pagetag_epoch"):
            del request._pagetag_epoch


EPOCH_KEY = "pagetag-epoch"
_local_tiers: dict[tuple, LocalVersions] = {}


def _new_epoch() -> str:
    return f"{time.time_ns()}-{secrets.token_hex(8)}"


def _local_tier(cache) -> LocalVersions | None:
    """The kept versions of ``cache`` (one per folder and key prefix) when it is a file cache;
    None for Redis (one round trip for any number of tags already) and per-process caches."""
    if not isinstance(cache, FileBasedCache):
        return None
    where = (cache._dir, cache.key_prefix, cache.version)
    tier = _local_tiers.get(where)
    if tier is None:
        tier = _local_tiers.setdefault(where, LocalVersions(cache))
    tier.cache = cache  # Django makes one cache object per thread: use this thread's
    return tier


def _versions_written(cache=None) -> None:
    tier = _local_tier(cache or page_cache())
    if tier is not None:
        tier.changed()


def _initialise_missing(versions: dict, at: int | None = None) -> set[str]:
    """Give tags that have no version one of their own; return those this call created.

    ``at`` backdates the new versions (to just before a render that found them missing), so
    that a page including that render does not take them for changes made while it rendered.
    A missing tag was not bumped since it went missing (a bump sets it), so this is safe.
    A first version needs no new epoch (``LocalVersions``): no process keeps a missing
    version, so none holds one this could make stale.
    """
    created = set()
    for tag, version in versions.items():
        if version is None:
            fresh = at or _now_ns()
            if page_cache().add(TAG_PREFIX + tag, fresh, timeout=None):
                versions[tag], created = fresh, created | {tag}
            else:  # someone else set it meanwhile
                versions[tag] = page_cache().get(TAG_PREFIX + tag)
    return created


class CollectedBumps:
    """Tags changed inside ``bumps_collected()``, written to the cache once per ``flush``."""

    def __init__(self):
        self.tags: set[str] = set()

    def flush(self) -> None:
        tags, self.tags = self.tags, set()
        _write_versions(tags)


_collected_bumps: ContextVar[CollectedBumps | None] = ContextVar("collected_bumps", default=None)


@contextmanager
def bumps_collected() -> Iterator[CollectedBumps]:
    """Invalidate each changed tag once, when the block ends (or at ``flush()``), instead of
    at every change inside it: a bulk job (an import) then writes a few cache entries per
    batch, not several per item. Enclose the transactions whose changes it covers: the
    flush must come after their commits (then no page rendered from older data is kept, as
    with ``bump``)."""
    collected = CollectedBumps()
    token = _collected_bumps.set(collected)
    try:
        yield collected
    finally:
        _collected_bumps.reset(token)
        collected.flush()


def bump_now(*tags: str) -> None:
    """Give each tag a new version now: every cached page that carries one is stale."""
    collected = _collected_bumps.get()
    if collected is not None:
        collected.tags.update(tags)
        return
    _write_versions(tags)


def _write_versions(tags: Iterable[str]) -> None:
    tags = set(tags)
    if not tags:
        return
    version = _now_ns()
    page_cache().set_many({TAG_PREFIX + tag: version for tag in tags}, timeout=None)
    _versions_written()  # after the versions: a kept version is never newer than the cache


def bump(*tags: str, using: str | None = None) -> None:
    """Invalidate ``tags`` now and once more when the current transaction commits.

    The first bump stops hits on pages about to change; the one after the commit makes sure
    no page rendered from pre-commit data is kept (see the module docstring).
    """
    bump_now(*tags)
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(lambda: bump_now(*tags), using=using)


# Requests and responses ----------------------------------------------------------------


def request_is_cacheable(request) -> bool:
    """Anonymous GET/HEAD with no session and no pending flash message."""
    if not settings.NEWSROOM_PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def response_is_cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page embeds a CSRF token
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:  # a cookie is about to be set
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def page_key(request, extra_params: Iterable[str] = ("page",)) -> str:
    """Host, language and path; only the query parameters a page really uses."""
    query = "&".join(
        f"{name}={request.GET.get(name, '')}" for name in extra_params if name in request.GET
    )
    raw = "|".join((request.get_host(), getattr(request, "LANGUAGE_CODE", ""), request.path, query))
    return PAGE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def mark_public(response, etag: str, last_modified: float) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        must_revalidate=True,
        s_maxage=settings.NEWSROOM_EDGE_CACHE_SECONDS,
    )
    patch_vary_headers(response, ("Cookie",))


def mark_private(response) -> None:
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ("Cookie",))


# What draws a named piece of a kept answer again at each hit: ``draw(request, payload)``
# gives its HTML, or None when it cannot (then the hit is a miss, and the page is rendered);
# and whether the piece makes the answer's ETag (a new signature alone is not a new page).
_drawers: dict[str, tuple[Callable[[object, object], str | None], bool]] = {}


def register_drawer(
    name: str, draw: Callable[[object, object], str | None], *, in_etag: bool = True
) -> None:
    """Let kept answers name pieces drawn by ``draw`` (caching/fragments.py's recipes)."""
    _drawers[name] = (draw, in_etag)


def _drawn(request, recipe: list) -> tuple[str, list[str]] | None:
    """The answer a recipe gives now, and its drawn pieces; None when one cannot be drawn."""
    html, drawn = [], []
    for item in recipe:
        if isinstance(item, str):
            html.append(item)
            continue
        draw = _drawers.get(item[0])
        piece = draw[0](request, item[1]) if draw is not None else None
        if piece is None:
            return None
        html.append(piece)
        drawn.append(piece)
    return "".join(html), drawn


def recipe_etag(literal_etag: str, recipe: list, drawn: list[str]) -> str:
    """An answer's ETag from its literal HTML's and the drawn pieces that make it."""
    items = (item for item in recipe if not isinstance(item, str))
    pieces = [piece for item, piece in zip(items, drawn, strict=True) if _drawers[item[0]][1]]
    joined = "\0".join((literal_etag, *pieces)).encode()
    return '"%s"' % hashlib.md5(joined, usedforsecurity=False).hexdigest()  # noqa: UP031


def not_modified(etag: str, if_none_match: str) -> bool:
    """Whether ``If-None-Match`` names ``etag``, by the weak comparison RFC 9110 asks for
    here: nginx's gzip sends our ETags weak (``W/"…"``), and browsers send them back so."""
    if if_none_match.strip() == "*":
        return True
    return etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}


def cached_response(request, key: str) -> HttpResponse | None:
    """The stored page for ``key`` if every tag it depends on is unchanged (an answer kept as
    a recipe: with its drawn pieces drawn now)."""
    entry = page_cache().get(key)
    if entry is None:
        return None
    if entry["expires_at"] <= time.time():
        return None
    current = tag_versions(entry["tags"])
    if None in current.values() or current != entry["tags"]:
        return None
    etag, content = entry["etag"], entry.get("content")
    rendered_at = entry["rendered_at"]
    if content is None:
        answer = _drawn(request, entry["recipe"])
        if answer is None:
            return None
        content, drawn = answer
        kept_etag, etag = etag, recipe_etag(entry["literal_etag"], entry["recipe"], drawn)
        if etag != kept_etag:  # a drawn piece changed since the answer was kept: by now
            rendered_at = time.time()
    if not_modified(etag, request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, status=200)
        for name, value in entry["headers"].items():
            response[name] = value
    mark_public(response, etag, rendered_at)
    response["X-Page-Cache"] = "hit"
    return response


def store_response(
    request,
    response,
    key: str,
    tags: Iterable[str],
    started_ns: int,
    expires_at: float,
    recipe: list | None = None,
    drawn: list[str] = (),
) -> None:
    """Keep ``response`` under ``key`` unless a tag was bumped while it was being rendered.

    ``expires_at`` (a Unix time) ends the entry early, e.g. when a scheduled article goes live.
    ``recipe``: the answer as literal HTML and pieces drawn again at each hit (a page kept
    whole: caching/fragments.py), kept up to NEWSROOM_KEPT_ANSWER_SECONDS instead of
    NEWSROOM_PAGE_CACHE_SECONDS; ``tags`` and ``expires_at`` are then its literal HTML's,
    ``drawn`` the pieces drawn for this answer.
    """
    versions = tag_versions(sorted({SITE_TAG, *tags}))
    created = _initialise_missing(versions)
    margin = settings.NEWSROOM_PAGE_CACHE_SKEW_SECONDS * 1_000_000_000
    content = response.content
    if recipe is None:
        etag = '"%s"' % hashlib.md5(content, usedforsecurity=False).hexdigest()  # noqa: UP031
    else:
        literals = "".join(item for item in recipe if isinstance(item, str)).encode()
        literal_etag = '"%s"' % hashlib.md5(literals, usedforsecurity=False).hexdigest()  # noqa: UP031
        etag = recipe_etag(literal_etag, recipe, drawn)
    rendered_at = started_ns / 1e9
    mark_public(response, etag, rendered_at)
    lifetime = (
        settings.NEWSROOM_PAGE_CACHE_SECONDS
        if recipe is None
        else settings.NEWSROOM_KEPT_ANSWER_SECONDS
    )
    expires_at = min(expires_at, time.time() + lifetime)
    timeout = int(expires_at - time.time())
    bumped_while_rendering = any(
        version is None or (tag not in created and version > started_ns - margin)
        for tag, version in versions.items()
    )
    if timeout < 1 or bumped_while_rendering:
        response["X-Page-Cache"] = "miss-not-stored"
        return
    entry = {
        "tags": versions,
        **(
            {"content": content}
            if recipe is None
            else {"recipe": recipe, "literal_etag": literal_etag}
        ),
        "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
        "etag": etag,  # as served when kept
        "rendered_at": rendered_at,
        "expires_at": expires_at,
    }
    page_cache().set(key, entry, timeout=timeout)
    response["X-Page-Cache"] = "miss"


class PageQueryMixin:
    """Views whose page is made of some query parameters only (``cache_params``)."""

    # Query parameters the page is made of: each combination is a page of its own.
    cache_params: tuple[str, ...] = ("page",)

    def page_query(self) -> QueryDict:
        """The query string the page is made of, for its own links (pagination, suggestions,
        the language switch), so a page stored for everyone never repeats one reader's extra
        parameters (``?fbclid=``, ``?utm_source=``)."""
        query = QueryDict(mutable=True)
        for name in self.cache_params:
            if name in self.request.GET:
                query[name] = self.request.GET[name]
        return query

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_query=self.page_query(), **kwargs)


class CachedPageMixin(PageQueryMixin):
    """For class-based views whose page depends on the tags returned by ``page_tags()``.

    ``page_tags(context)`` gets the template context after the view ran and names every
    object the page shows. Pages that cannot be cached (staff, sessions, drafts, a CSRF
    token in the page) are sent with private, no-store headers.
    """

    # Query parameters that make a page personal (e.g. ``?reply=`` opens the comment form as a
    # reply): such requests are rendered, never served from or stored in the cache.
    personal_params: tuple[str, ...] = ()

    def page_tags(self, context) -> Iterable[str]:
        raise NotImplementedError

    def page_expires_at(self, context) -> float:
        """When the page goes stale by itself (a Unix time); never, by default."""
        return float("inf")

    def dispatch(self, request, *args, **kwargs):
        personal = any(name in request.GET for name in self.personal_params)
        if personal or not request_is_cacheable(request):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "add_post_render_callback") and not response.is_rendered:
                response.add_post_render_callback(mark_private)
            else:
                mark_private(response)
            return response
        key = page_key(request, self.cache_params)
        hit = cached_response(request, key)
        if hit is not None:
            return hit
        started = _now_ns()
        page_render_started.set(started)
        shown_tags.set(shown := set())
        response = super().dispatch(request, *args, **kwargs)
        shown_by_view = set(shown)  # before the response draws its per-request parts

        def finish(rendered):
            page_render_started.set(None)
            shown_tags.set(None)
            if response_is_cacheable(request, rendered):
                context = rendered.context_data
                recipe = self.kept_recipe(rendered)
                drawn = ()
                if recipe is not None:  # a page kept whole: its answer drawn at each hit
                    page = rendered.template_name
                    named = {*self.page_tags(context), *shown_by_view} - page.uncarried
                    tags = named | page.recipe_tags
                    expires_at = min(self.whole_expires_at(), page.recipe_expires_at)
                    drawn = page.drawn_pieces
                else:
                    tags = {*self.page_tags(context), *shown}
                    expires_at = self.page_expires_at(context)
                store_response(request, rendered, key, tags, started, expires_at, recipe, drawn)
            elif rendered.status_code == 200:
                mark_private(rendered)

        if hasattr(response, "add_post_render_callback") and not response.is_rendered:
            response.add_post_render_callback(finish)
        else:
            mark_private(response)
        return response

    @staticmethod
    def kept_recipe(rendered) -> list | None:
        """The answer's recipe when it was drawn from a page kept whole (caching/fragments.py's
        ``KeptPage``) and nothing after the render changed it; else None (kept as it is)."""
        page = getattr(rendered, "template_name", None)
        recipe = getattr(page, "recipe", None)
        if recipe is None or rendered.content != page.rendered.encode():
            return None
        return recipe


def cached_page(
    tags: Callable[..., Iterable[str]],
    expires_at: Callable[[], float] = lambda: float("inf"),
    params: tuple[str, ...] = ("page",),
):
    """The same for function views (feeds, sitemaps): ``tags(request, *args, **kwargs)``;
    ``expires_at()`` when the page goes stale by itself (a Unix time); ``params``, the query
    parameters the page is made of.

    For example ``path("feed/", cached_page(lambda request: {"live-content"})(LatestFeed()))``.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request_is_cacheable(request):
                response = view(request, *args, **kwargs)
                if response.status_code == 200:
                    mark_private(response)
                return response
            key = page_key(request, params)
            hit = cached_response(request, key)
            if hit is not None:
                return hit
            started = _now_ns()
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if response_is_cacheable(request, response):
                page_tags = tags(request, *args, **kwargs)
                store_response(request, response, key, page_tags, started, expires_at())
            elif response.status_code == 200:
                mark_private(response)
            return response

        return wrapped

    return decorator
