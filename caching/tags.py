"""Names every cache tag: the one module that spells them, every app calls these functions.

A cached page or fragment carries the tags of what it shows; bumping a tag
(``caching.pagecache.bump``) makes stale every page and fragment that carries it (see
caching/pagecache.py). A tag typed by hand in two places is a contract nobody checks: a
misspelt bump refreshes nothing and the page stays stale. So no app writes a tag's text;
tests/test_cache_tags.py fails on one built anywhere else.

What each tag stands for, and who bumps it:

- ``article(id)``: the article's own content, bylines, corrections and topic links. Carried by
  its page and by every page that shows its card (articles/cache.py; live/cache.py when a
  live coverage starts or ends: every card shows the «مباشر» badge).
- ``comments(article id)``: the approved comments under the article; only its page shows them.
- ``section(id)`` / ``author(id)`` / ``topic(id)`` / ``story_file(id)``: the object's own
  fields (name, slug…), carried by every page that shows them.
- ``section_list(id)`` / ``author_list(id)`` / ``topic_list(id)`` / ``story_file_list(id)``:
  which articles the object's page lists, in what order. Bumped when an article enters or
  leaves the list (publish, unpublish, move, re-date, delete), not when a listed article is
  merely edited.
- ``home()``: which articles and section blocks the home page shows, and the editors' flags
  (breaking, lead story, pinned order); also the API's unfiltered list of articles.
- ``section_menu()``: the sections menu in every page's header (names, order).
- ``breaking()``: the breaking-news ticker («عاجل») in every page's header (desk/cache.py).
- ``most_read(section id or None)``: the "most read" blocks, site-wide or a section's
  (counters/cache.py).
- ``live_content()``: feeds, search results and the news sitemap: any change to a live
  article, its bylines, a section, an author, a topic or a story file (a cheap and safe
  superset).
- ``live(article id)``: a live coverage's entries and state (live/cache.py).
- ``page(id)`` / ``footer_pages()``: a static page, and the footer's list of them
  (pages/cache.py).
- ``author_index()`` / ``topic_index()`` / ``story_file_index()``: which authors, topics and
  story files the API's lists hold (api/cache.py).
- ``front_layout(section id or None)``: the editors' live layout of the home page, or of a
  section's page; bumped when a layout is published (frontpage/cache.py).
- ``front_live_coverage()``: which articles have a live coverage, for a layout's live coverage
  block (frontpage/cache.py).
- ``embed(id)`` / ``gallery(id)``: a rich-media embed's facade and a photo gallery, carried by
  the pages that draw them (embeds/cache.py).
- ``archive_period(key)``: the date archive's year, month or day page (``"2026"``,
  ``"2026-12"``, ``"2026-12-06"``): which articles it lists (articles/cache.py).
- ``site()``: carried by every cached page and fragment; bumping it purges them all
  (``manage.py purge_pages``).
"""

from __future__ import annotations


def site() -> str:
    return "site"


def home() -> str:
    return "home"


def section_menu() -> str:
    return "section-menu"


def breaking() -> str:
    return "breaking"


def live_content() -> str:
    return "live-content"


def footer_pages() -> str:
    return "footer-pages"


def author_index() -> str:
    return "author-index"


def topic_index() -> str:
    return "topic-index"


def story_file_index() -> str:
    return "storyfile-index"


def article(pk) -> str:
    return f"article:{pk}"


def comments(article_id) -> str:
    return f"comments:{article_id}"


def section(pk) -> str:
    return f"section:{pk}"


def section_list(pk) -> str:
    return f"section-list:{pk}"


def author(pk) -> str:
    return f"author:{pk}"


def author_list(pk) -> str:
    return f"author-list:{pk}"


def topic(pk) -> str:
    return f"topic:{pk}"


def topic_list(pk) -> str:
    return f"topic-list:{pk}"


def story_file(pk) -> str:
    return f"storyfile:{pk}"


def story_file_list(pk) -> str:
    return f"storyfile-list:{pk}"


def live(article_id) -> str:
    return f"live:{article_id}"


def page(pk) -> str:
    return f"page:{pk}"


def front_layout(section_id=None) -> str:
    """The editors' live layout of the home page (no section) or of a section's page."""
    return f"frontpage:section:{section_id}" if section_id else "frontpage:home"


def front_live_coverage() -> str:
    return "frontpage:live-coverage"


def embed(pk) -> str:
    return f"embed:{pk}"


def gallery(pk) -> str:
    return f"gallery:{pk}"


def archive_period(key: str) -> str:
    """A date archive page: ``key`` is a year, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    return f"archive:{key}"


def most_read(section_id=None) -> str:
    """The site's "most read" block (no section), or a section's."""
    return f"most-read:section:{section_id}" if section_id else "most-read:site"


# Tags every public page carries: what its header shows.
def every_page() -> frozenset[str]:
    return frozenset({section_menu(), breaking()})
