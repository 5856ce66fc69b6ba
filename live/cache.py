"""Which cached pages show live coverage, and the set of live article ids cards read.

Tags (named in caching/tags.py):

- ``live(article id)``: the coverage's entries and state. Carried by the article page (its
  kept fragment shows the entries), the updates endpoint and the entries' feed. Bumped when an
  entry is posted, edited, removed or restored, and when the coverage starts or ends.
- ``article(id)`` (articles/cache.py) is bumped too when the coverage starts or ends: every
  card of the article shows the «مباشر» badge, and cards carry that tag.
- ``live_content()`` (feeds, the news sitemap) when the coverage starts or ends.

The state of every article that has a coverage ({article id: "live" or "ended"}) is kept in
the cache (``STATES_KEY``), so a list of cards costs one cache read for its badges, not a query
per card, and an article without coverage costs its page no query at all.
"""

from django.db import transaction

from caching import tags as tag
from caching.pagecache import bump, page_cache

STATES_KEY = "live:coverage-states"
STATES_SECONDS = 60  # a backstop: the map is dropped after every start and end


def coverage_states(request=None) -> dict[int, str]:
    """{article id: "live" or "ended"} for every article that has a coverage; read once per
    request when one is given (a page of cards asks for each card)."""
    states = getattr(request, "_live_states", None)
    if states is None:
        states = page_cache().get(STATES_KEY)
        if states is None:
            states = refresh_states()
        if request is not None:
            request._live_states = states
    return states


def refresh_states() -> dict[int, str]:
    from live.models import LiveCoverage

    states = dict(LiveCoverage.objects.values_list("article_id", "state"))
    page_cache().set(STATES_KEY, states, timeout=STATES_SECONDS)
    return states


def is_live(article_id, request=None) -> bool:
    return coverage_states(request).get(article_id) == "live"


def entries_changed(article_id) -> None:
    bump(tag.live(article_id))


def coverage_changed(article_id) -> None:
    """Started or ended: the badge on every card, the page, feeds and the news sitemap."""
    page_cache().delete(STATES_KEY)
    transaction.on_commit(lambda: page_cache().delete(STATES_KEY))
    bump(tag.live(article_id), tag.article(article_id), tag.live_content())
