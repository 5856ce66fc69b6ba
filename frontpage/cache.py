"""Which cached pages show the editors' layout, and when its timed placements change them.

- ``frontpage:home`` (``layout_tag()``): carried by every home page (the automatic one too, so
  the first layout published replaces it at once); bumped when a layout is published. A draft's
  edits bump nothing: readers never see a draft. ``frontpage:section:<id>`` the same for a
  section's page.
- ``frontpage:live-coverage``: which articles have a live coverage (a live coverage block);
  bumped when a coverage starts, ends or is deleted.

Timed placements need no job at the moment they start or end (as scheduled publication): the
live layout's id and the times its placements start or end are kept in the cache
(``live_state``); the home page's fragment key names how many of those times have passed, and
the page and its fragment expire at the next one (``next_change``).
"""

from __future__ import annotations

import bisect
import time
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from caching import tags as tag
from caching.pagecache import bump, page_cache
from newsroom.logging import current_request

STATE_KEY = "frontpage:live-state"  # a cache key (not a tag): the live layout's timings
LIVE_COVERAGE_TAG = tag.front_live_coverage()


def layout_tag(section_id: int | None = None) -> str:
    return tag.front_layout(section_id)


def _state_key(section_id):
    return f"{STATE_KEY}:{section_id or 'home'}"


# What live_state read during the request being handled: the page asks for it twice (its
# fragment's key, then its expiry), one read of the cache is enough.
_read_this_request: ContextVar = ContextVar("frontpage_live_state", default=None)


def live_state(section_id: int | None = None) -> dict:
    """{"layout": the live layout's id or None, "changes": sorted Unix times at which one of
    its placements starts or ends}, for the home page or section ``section_id``'s: from the
    cache (once per request), else one query (then kept until the next publication)."""
    request = current_request.get()
    memo = _read_this_request.get()
    if request is not None and memo is not None and memo[0] is request and section_id in memo[1]:
        return memo[1][section_id]
    state = page_cache().get(_state_key(section_id))
    if state is None:
        state = refresh_state(section_id)
    if request is not None:
        if memo is None or memo[0] is not request:
            memo = (request, {})
            _read_this_request.set(memo)
        memo[1][section_id] = state
    return state


def refresh_state(section_id: int | None = None) -> dict:
    from django.contrib.postgres.aggregates import ArrayAgg

    from frontpage.models import Layout

    row = (
        Layout.objects.filter(status=Layout.Status.LIVE, section_id=section_id)
        .values("pk")
        .annotate(
            starts=ArrayAgg("blocks__slots__starts_at", default=[]),
            ends=ArrayAgg("blocks__slots__ends_at", default=[]),
        )
        .first()
    )
    if row is None:
        state = {"layout": None, "changes": []}
    else:
        moments = {moment.timestamp() for moment in (*row["starts"], *row["ends"]) if moment}
        state = {"layout": row["pk"], "changes": sorted(moments)}
    page_cache().set(_state_key(section_id), state, timeout=None)
    return state


def passed_changes(state: dict, now: float | None = None) -> int:
    """How many of the layout's start and end times have passed: part of the fragment's key."""
    return bisect.bisect_right(state["changes"], time.time() if now is None else now)


def next_change(state: dict, now: float | None = None) -> float:
    """When the next placement starts or ends (a Unix time); never when none is due."""
    index = passed_changes(state, now)
    return state["changes"][index] if index < len(state["changes"]) else float("inf")


def layout_published(section_id: int | None = None) -> None:
    """A layout went live: the pages that show it (the home page or the section's), now and
    after the commit."""

    def forget():
        page_cache().delete(_state_key(section_id))
        _read_this_request.set(None)  # this request reads it afresh too

    forget()
    transaction.on_commit(forget)
    bump(layout_tag(section_id))


def _coverage_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(LIVE_COVERAGE_TAG)


def connect_receivers():
    from django.apps import apps

    if apps.is_installed("live"):  # the live coverage block's list (no import of ``live``)
        coverage = apps.get_model("live", "LiveCoverage")
        for signal in (post_save, post_delete):
            signal.connect(
                _coverage_changed, sender=coverage, dispatch_uid=f"frontpage.coverage.{signal!r}"
            )
