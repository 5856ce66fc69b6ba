"""Rendered fragments of a page, kept until what they show changes (Russian-doll caching).

The whole-page cache (caching/pagecache.py) serves anonymous readers. Everyone else, and
every page-cache miss, renders the page; the costly parts of that render (an article's text,
bylines, related links and comments; the sections menu) are the same for every reader and
change only when an editor or a moderator acts. Those parts are kept here as HTML with the
same dependency tags and the same rules as whole pages:

- a fragment is served only while every tag it depends on keeps the version it was rendered
  with (``pagecache.bump`` on a change makes it stale at once, for every reader);
- a fragment whose tags were bumped while it was being rendered is used but not kept;
- ``expires_at`` ends it early (for instance, the view count it shows may be this old); a
  fragment ends no later than the fragments inside it (``note_expires_at`` lowers the end of
  whatever is being rendered, e.g. the breaking-news ticker's next deadline).

What stays per request: the database lookup of the page's object (a published check), the
page's frame (language switch, messages, the comment form with its CSRF token when the reader
has a session) and anything that depends on who is reading. ``NEWSROOM_FRAGMENT_CACHE=0``
turns this off (every fragment rendered every time), e.g. to measure the cold render.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from caching.pagecache import (
    SITE_TAG,
    _initialise_missing,
    _local_tier,
    _now_ns,
    note_shown,
    page_cache,
    page_render_started,
    register_drawer,
    shown_tags,
    tag_versions,
)
from caching.tags import breaking, every_page
from newsroom.links import site_origin

FRAGMENT_PREFIX = "fragment:"

# The end (a Unix time) of the fragment now being rendered: lowered by the fragments inside it
# (kept or rendered) and by ``note_expires_at``, so an outer fragment never outlives them.
_render_expires_at: ContextVar[list[float] | None] = ContextVar("render_expires_at", default=None)


def note_expires_at(moment: float) -> None:
    """The fragment being rendered (and those around it) shows something that goes stale by
    itself at ``moment`` (a Unix time): it is kept no longer than that."""
    holder = _render_expires_at.get()
    if holder is not None and moment < holder[0]:
        holder[0] = moment


# Answers kept with their shared parts drawn at hit time ------------------------------------
# While a page kept whole draws its per-request parts for a reader the page cache may serve
# (``KeptPage.render``), the fragments each part shows at its own top level, and the pieces
# noted with ``note_drawn`` (the comment form's signed fields), are traced: the page cache
# then keeps the answer as a *recipe* (caching/pagecache.py), its literal HTML with those
# pieces named (a fragment's key, a drawer's payload) instead of copied, and draws them
# again at each hit. So an answer does not carry the tags, nor end with the deadlines, of
# what every page shows (the ticker, "most read"), nor with the comment form's signature.


@dataclass(slots=True)
class _Trace:
    holder: list[float]  # the part's own end: lowered by what it shows literally
    draws_fragments: bool  # the part is drawn: its fragments are named, not copied
    token: str  # in the markers around each drawn piece, which the part's HTML then loses
    tags: set[str]  # what the part's literal HTML shows (its fragments' tags included)
    drawn: list[tuple[str, object]] = field(default_factory=list)  # (drawer, payload)
    drawn_tags: set[str] = field(default_factory=set)  # what the drawn fragments show
    contents: list[str] = field(default_factory=list)  # what each drawn piece was

    def marked(self, html: str, drawer: str, payload) -> str:
        """``html`` between this trace's markers, remembered as drawn piece number N."""
        self.drawn.append((drawer, payload))
        self.contents.append(str(html))
        number = len(self.drawn) - 1
        return f"<!--{self.token}:{number}-->{html}<!--/{self.token}:{number}-->"


_trace: ContextVar[_Trace | None] = ContextVar("drawn_trace", default=None)


def _at_part_top() -> _Trace | None:
    """The trace of the part being drawn, when nothing between it and the caller is a
    fragment being rendered (a fragment inside another is part of that one's HTML)."""
    trace = _trace.get()
    return trace if trace is not None and _render_expires_at.get() is trace.holder else None


def _noted(key: str, content, tags, expires_at: float, redraw=None):
    """Note a fragment used (its tags and end go to what is being rendered); returns the
    content to show: between markers when it is a drawn piece of a kept answer."""
    trace = _at_part_top()
    if trace is not None and trace.draws_fragments and isinstance(content, str):
        trace.drawn_tags.update(tags)  # the response's, not the kept answer's
        return trace.marked(content, "fragment", (key, redraw))
    note_shown(tags)
    note_expires_at(expires_at)
    return content


def note_drawn(drawer: str, payload, html: str) -> str:
    """``html`` to show, drawn again at each hit of a kept answer by the drawer registered
    as ``drawer`` (``caching.pagecache.register_drawer``) from ``payload``: between markers
    when a kept answer is being recorded, else as it is."""
    trace = _at_part_top()
    return mark_safe(trace.marked(html, drawer, payload)) if trace is not None else html


# What renders a drawn fragment again when a hit finds it stale (``"most-read"`` → the
# counter's block for a section): by name, with the arguments ``cached_fragment`` was given
# as ``redraw``. Registered by the app that owns the fragment (its app config).
_redraws: dict[str, Callable[..., str]] = {}


def register_redraw(name: str, render: Callable[..., str]) -> None:
    _redraws[name] = render


def _draw_fragment(request, payload) -> str | None:
    """A drawn fragment's HTML: as kept, else rendered again (and kept) by its redraw, else
    None (the hit is a miss)."""
    key, redraw = payload
    kept = kept_fragment(key, redraw)
    if kept is not None:
        return kept.content
    if redraw is not None and redraw[0] in _redraws:
        return str(_redraws[redraw[0]](*redraw[1]))
    return None


register_drawer("fragment", _draw_fragment)


@dataclass(frozen=True, slots=True)
class Fragment:
    content: str | dict[str, str]  # HTML, or named pieces of HTML rendered together
    tags: frozenset[str]  # what it shows: the page that includes it carries these tags too
    hit: bool

    @property
    def html(self) -> SafeString:
        return mark_safe(self.content)  # rendered by our own autoescaping templates

    def part(self, name: str) -> SafeString:
        return mark_safe(self.content[name])


# Entries read from (or written to) the file cache, kept by this process too: an entry is
# served under exactly the same test wherever it was read from (every tag at the version it
# was rendered with, ``expires_at`` not passed), so a copy here is as good as the file, and
# a stale copy sends the reader to the file (another process may have stored a newer one).
# Only with the file cache's local tier of tag versions (newsroom/pagecache.py), bounded, the
# least recently used entry dropped first: readers walking the archive bring a new article's
# entries on every request, and those must not push out the fragments every page uses (the
# ticker, the menus, "most read"), which a crude "empty when full" did every 512 requests.
_KEPT_HERE_MAX = 512
_kept_here_by_cache: dict[tuple, OrderedDict[str, dict]] = {}
_kept_here_lock = threading.Lock()


def _kept_here() -> OrderedDict[str, dict] | None:
    cache = page_cache()
    if _local_tier(cache) is None:
        return None
    where = (cache._dir, cache.key_prefix, cache.version)
    kept = _kept_here_by_cache.get(where)
    if kept is None:
        kept = _kept_here_by_cache.setdefault(where, OrderedDict())
    return kept


def _kept_here_get(kept_here: OrderedDict[str, dict], key: str) -> dict | None:
    with _kept_here_lock:
        entry = kept_here.get(key)
        if entry is not None:
            kept_here.move_to_end(key)
        return entry


def _keep_here(kept_here: OrderedDict[str, dict], key: str, entry: dict) -> None:
    with _kept_here_lock:
        kept_here[key] = entry
        kept_here.move_to_end(key)
        while len(kept_here) > _KEPT_HERE_MAX:
            kept_here.popitem(last=False)


def _fresh(entry) -> bool:
    if entry is None or entry["expires_at"] <= time.time():
        return False
    current = tag_versions(entry["versions"])
    return None not in current.values() and current == entry["versions"]


def cached_fragment(
    key: str,
    render: Callable[[], tuple[str | dict[str, str], Iterable[str]]],
    *,
    keep: bool = True,
    expires_at: float = float("inf"),
    drawn_per_request: frozenset[str] = frozenset(),
    redraw: tuple[str, tuple] | None = None,
) -> Fragment:
    """The HTML kept under ``key`` while its tags are unchanged, else ``render()``'s.

    ``render`` returns the HTML (rendered by our autoescaping templates; or a dict of named
    pieces, e.g. a page's head and body parts from one render) and the tags it depends on;
    it runs only on a miss, so the queries it needs are only made then.
    ``keep=False`` renders without looking or storing (e.g. a staff preview of a draft).

    Fragments used while rendering this one add their tags to it (it shows what they show),
    and every fragment adds its tags to the page being rendered (``pagecache.shown_tags``).
    An outer fragment should not outlive an inner one's ``expires_at``.
    ``drawn_per_request``: tags of what the caller draws into the kept HTML on every request
    (a page kept whole's ticker): the kept HTML does not show it, so it does not carry them,
    though fragments inside it do.
    ``redraw``: ``(name, args)`` of a function registered with ``register_redraw`` that
    renders this fragment again, for a kept answer that draws it (caching/pagecache.py) and
    finds it stale: the hit then renders this fragment alone, not the page.
    """
    full_key = FRAGMENT_PREFIX + key
    keep = keep and settings.NEWSROOM_FRAGMENT_CACHE_ENABLED
    if keep:
        kept = kept_fragment(key, redraw)
        if kept is not None:
            return kept
    started = _now_ns()
    outer, outer_started = shown_tags.get(), page_render_started.get()
    outer_expiry = _render_expires_at.get()
    shown_tags.set(inner := set())  # fragments inside this one: it shows what they show
    _render_expires_at.set(expiry := [expires_at])  # ... and ends when the first of them does
    if outer_started is None:  # the outermost render: fragments inside backdate to its start
        page_render_started.set(started)
    try:
        content, tags = render()
    finally:
        shown_tags.set(outer)
        page_render_started.set(outer_started)
        _render_expires_at.set(outer_expiry)
    expires_at = expiry[0]
    tags = (frozenset(tags) | inner) - drawn_per_request
    content = (
        {name: str(html) for name, html in content.items()}
        if isinstance(content, dict)
        else str(content)
    )
    shown = _noted(key, content, tags, expires_at, redraw)
    if keep:
        _store(full_key, content, tags, started, expires_at)
    return Fragment(shown, tags, hit=False)


def kept_fragment(key: str, redraw: tuple[str, tuple] | None = None) -> Fragment | None:
    """The fragment kept under ``key`` if it is still current, else None (nothing rendered):
    for a caller that must make a query before it can say how to render it."""
    if not settings.NEWSROOM_FRAGMENT_CACHE_ENABLED:
        return None
    full_key = FRAGMENT_PREFIX + key
    kept_here = _kept_here()
    entry = _kept_here_get(kept_here, full_key) if kept_here is not None else None
    if not _fresh(entry):  # not kept here, or stale here: the shared cache may be newer
        entry = page_cache().get(full_key)
        if kept_here is not None and entry is not None:
            _keep_here(kept_here, full_key, entry)
    if not _fresh(entry):
        return None
    shown = _noted(key, entry["content"], entry["versions"], entry["expires_at"], redraw)
    return Fragment(shown, frozenset(entry["versions"]), hit=True)


def _store(key: str, content, tags: frozenset[str], started_ns: int, expires_at: float) -> None:
    versions = tag_versions(sorted({SITE_TAG, *tags}))
    margin = settings.NEWSROOM_PAGE_CACHE_SKEW_SECONDS * 1_000_000_000
    page_started = page_render_started.get() or started_ns
    created = _initialise_missing(versions, at=min(page_started, started_ns) - margin - 1)
    if any(
        version is None or (tag not in created and version > started_ns - margin)
        for tag, version in versions.items()
    ):
        return  # changed while rendering: it may show data older than the change
    expires_at = min(expires_at, time.time() + settings.NEWSROOM_PAGE_CACHE_SECONDS)
    timeout = int(expires_at - time.time())
    if timeout >= 1:
        entry = {"versions": versions, "content": content, "expires_at": expires_at}
        page_cache().set(key, entry, timeout=timeout)
        kept_here = _kept_here()
        if kept_here is not None:
            _keep_here(kept_here, key, entry)


# Pages kept whole ------------------------------------------------------------------------
# A page the same for every reader but for a few parts (the flash messages, a form with the
# reader's CSRF token) is rendered once with a marker where each such part goes, kept as the
# pieces between the markers, and served by rendering only those parts into it.

SLOT_MARKER = "<!--per-request:{}-->"


def slot_markers(*names: str) -> dict[str, SafeString]:
    """The markers to render in place of the per-request parts (a template context value)."""
    return {name: mark_safe(SLOT_MARKER.format(name)) for name in names}


def cut_at_slots(html: str, names: Iterable[str]) -> dict[str, str]:
    """``html`` rendered with ``slot_markers(*names)``, cut at them (in document order)."""
    pieces = {}
    for index, name in enumerate(names):
        pieces[str(index)], html = html.split(SLOT_MARKER.format(name), 1)
    pieces["end"] = html
    return pieces


class KeptPage:
    """A kept page as a template (for ``TemplateResponse``): ``parts`` renders, for this
    request, each per-request part in document order, by name.

    ``recipe``: for a reader the page cache may serve, the answer as the page cache keeps
    it (caching/pagecache.py): literal HTML, and ``(drawer, payload)`` for what is drawn
    again at each hit: the fragments the parts named in ``drawn`` show, and whatever a part
    noted with ``note_drawn``. ``recipe_tags`` and ``recipe_expires_at``: what its literal
    per-request parts show, and when the first of them goes stale by itself; ``uncarried``,
    the tags the page's view names for what is drawn (the ticker's ``breaking``, which
    every page names), which the recipe does not carry.
    """

    def __init__(
        self,
        pieces: dict[str, str],
        parts: dict[str, Callable[[object], str]],
        drawn: frozenset[str] = frozenset(),
    ):
        self.pieces = pieces
        self.parts = parts
        self.drawn = drawn
        self.uncarried = SLOT_TAGS if "ticker" in drawn else frozenset()
        self.recipe: list | None = None
        self.recipe_tags: set[str] = set()
        self.recipe_expires_at = float("inf")
        self.rendered = ""
        self.drawn_pieces: list[str] = []  # what the recipe's drawn pieces gave this time

    def render(self, context=None, request=None) -> SafeString:
        from caching.pagecache import request_is_cacheable

        # Recorded only for a reader the page cache may serve (the recipe is its answer).
        record = request is not None and request_is_cacheable(request)
        html, recipe = [], [] if record else None
        for index, (name, render_part) in enumerate(self.parts.items()):
            html.append(self.pieces[str(index)])
            if not record:
                html.append(render_part(request))
                continue
            part, segments = self._traced(name, render_part, request)
            html.append(part)
            if recipe is not None:
                kept = segments is not None  # else a drawn piece lost its markers
                recipe = [*recipe, self.pieces[str(index)], *segments] if kept else None
        html.append(self.pieces["end"])
        self.rendered = "".join(html)
        if recipe is not None:
            self.recipe = _joined([*recipe, self.pieces["end"]])
        return mark_safe(self.rendered)

    def _traced(self, name, render_part, request) -> tuple[str, list | None]:
        """The part's HTML, and its recipe (None when a drawn piece lost its markers)."""
        trace = _Trace([float("inf")], name in self.drawn, secrets.token_hex(4), set())
        tokens = (
            _trace.set(trace),
            _render_expires_at.set(trace.holder),
            shown_tags.set(trace.tags),
        )
        try:
            marked = str(render_part(request))
        finally:
            _trace.reset(tokens[0])
            _render_expires_at.reset(tokens[1])
            shown_tags.reset(tokens[2])
        note_shown(trace.tags | trace.drawn_tags)  # the response shows all of it …
        self.recipe_tags |= trace.tags  # … the kept answer its literal HTML
        self.recipe_expires_at = min(self.recipe_expires_at, trace.holder[0])
        pieces = re.split(rf"<!--/?{trace.token}:(\d+)-->", marked, flags=re.IGNORECASE)
        # literal, number, drawn piece, number, literal, …: each piece between its markers,
        # as it was drawn (a part that changed one, or cut a marker, is kept as shown)
        numbers = pieces[1::2]
        if numbers != [str(n // 2) for n in range(2 * len(trace.drawn))] or any(
            piece != content for piece, content in zip(pieces[2::4], trace.contents, strict=False)
        ):
            return "".join(pieces[0::2]), None
        segments, html = [], []
        for index, piece in enumerate(pieces[0::2]):
            html.append(piece)
            if index % 2 == 0:
                segments.append(piece)
            else:
                segments.append(trace.drawn[index // 2])
                self.drawn_pieces.append(piece)
        return "".join(html), segments


def _joined(recipe: list) -> list:
    """Adjacent literal pieces as one string."""
    joined: list = []
    for item in recipe:
        if isinstance(item, str) and joined and isinstance(joined[-1], str):
            joined[-1] += item
        elif not (isinstance(item, str) and not item):
            joined.append(item)
    return joined


def messages_html(request) -> str:
    """The flash messages: a per-request part every page kept whole has."""
    return render_to_string("includes/messages.html", request=request)


def ticker_html(request) -> str:
    """The breaking-news ticker in the header, from its own kept fragment: drawn into every
    page kept whole per request, so that those pages do not carry its tag (``breaking``)
    nor end with its deadline, and a breaking story does not throw them all away at the
    moment readers come for it."""
    return render_to_string("includes/ticker.html", request=request)


# What the per-request parts of every page kept whole show: the kept page itself does not
# carry these tags (the page cache's copy of the whole response still does).
SLOT_TAGS = frozenset({breaking()})


def next_year() -> float:
    """The footer names the current year: a page kept whole ends with it."""
    now = timezone.localtime()
    return now.replace(year=now.year + 1, month=1, day=1, hour=0, minute=0, second=0,
                       microsecond=0).timestamp()  # fmt: skip


class KeptWholeMixin:
    """For a template view whose page is the same for every reader but for a few parts (the
    breaking-news ticker and the flash messages by default; ``slot_parts()`` names them in
    document order, its template renders ``page_slots.<name>`` in their place): the page is
    rendered once with markers, kept per ``whole_key()``, language and site origin until one
    of its tags changes, and served by rendering only those parts into it. ``whole_key()``
    None (e.g. a draft, a personal parameter) or the fragment cache off: the view renders as
    usual. Used with ``caching.pagecache.CachedPageMixin``."""

    def whole_key(self) -> str | None:
        raise NotImplementedError

    def whole_expires_at(self) -> float:
        """When the page goes stale by itself (CachedPageMixin's ``page_expires_at``), and at
        the latest when the footer's year does."""
        return min(self.page_expires_at(None), next_year())

    def slot_parts(self) -> dict[str, Callable[[object], str]]:
        """The per-request parts, in document order; a subclass adds its own after these."""
        return {"ticker": ticker_html, "messages": messages_html}

    def drawn_parts(self) -> frozenset[str]:
        """The per-request parts the page cache draws again at each hit from their own kept
        fragments (the same for every reader): the ticker by default."""
        return frozenset({"ticker"})

    def whole_context(self) -> dict:
        """What the response's context carries besides ``page_tags`` (the page cache and
        tests read it)."""
        return {}

    def kept_whole_response(self):
        """The page kept whole as a response, or None when it is not kept."""
        key = self.whole_key()
        if key is None or not settings.NEWSROOM_FRAGMENT_CACHE_ENABLED:
            return None
        kept = cached_fragment(
            f"{key}:{get_language()}:{site_origin(self.request)}",
            self.render_whole,
            expires_at=self.whole_expires_at(),
            drawn_per_request=SLOT_TAGS,
        )
        context = {**self.whole_context(), "page_tags": kept.tags | every_page()}
        page = KeptPage(kept.content, self.slot_parts(), self.drawn_parts())
        return self.response_class(request=self.request, template=page, context=context)

    def render_whole(self):
        """The whole page with markers where the reader's parts go, cut at the markers."""
        slots = tuple(self.slot_parts())
        context = self.get_context_data(page_slots=slot_markers(*slots))
        html = render_to_string(self.get_template_names()[0], context, request=self.request)
        return cut_at_slots(html, slots), self.page_tags(context)
