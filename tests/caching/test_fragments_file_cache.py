"""Kept fragments on the file cache, as the laptop default runs them: every test of
tests/caching/test_fragments.py again, with tag versions read through this process's local tier
(caching/pagecache.py ``LocalVersions``), plus the tier against a second process."""

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory
from django.urls import reverse

from caching import pagecache
from newsroom.logging import current_request
from tests.caching.test_fragments import *  # noqa: F403 (the same tests, collected here again)
from tests.caching.test_fragments import _fragments_without_page_cache  # noqa: F401 (autouse)

BASE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(autouse=True)
def _fresh_page_cache(settings, tmp_path):
    """Overrides the conftest's LocMemCache: the file cache, in a folder of this test's own."""
    settings.CACHES = {
        "default": {
            "BACKEND": "caching.backends.FileCache",
            "LOCATION": str(tmp_path / "cache"),
            "KEY_PREFIX": "t",
        }
    }


def bump_in_another_process(tmp_path, *tags):
    """``pagecache.bump_now(*tags)`` in a process of its own on the same cache folder."""
    code = (
        "import django, sys; django.setup(); from caching import pagecache; "
        "pagecache.bump_now(*sys.argv[1:])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "REDIS_URL": "",
        "NEWSROOM_CACHE_DIR": str(tmp_path / "cache"),
        "NEWSROOM_CACHE_PREFIX": "t",
    }
    subprocess.run([sys.executable, "-c", code, *tags], cwd=BASE_DIR, env=env, check=True)


def test_the_local_tier_is_on_for_the_file_cache():
    assert pagecache._local_tier(pagecache.page_cache()) is not None


def test_a_bump_in_another_process_is_seen_at_the_next_read(tmp_path):
    pagecache.bump_now("article:1", "home")
    before = pagecache.tag_versions(["article:1", "home"])
    assert None not in before.values()
    assert pagecache.tag_versions(["article:1", "home"]) == before  # kept: no file per tag
    bump_in_another_process(tmp_path, "article:1")
    after = pagecache.tag_versions(["article:1", "home"])
    assert after["article:1"] > before["article:1"]
    assert after["home"] == before["home"]


def test_a_kept_fragment_is_refreshed_by_another_process_bump(tmp_path):
    from caching.fragments import cached_fragment

    renders = []

    def render():
        renders.append(1)
        return f"<p>{len(renders)}</p>", {"article:7"}

    pagecache.bump_now("article:7")
    time_before = pagecache._now_ns()
    while pagecache._now_ns() <= time_before + 1_000_000:  # past the bump (skew is 0 here)
        pass
    assert not cached_fragment("f", render).hit
    assert cached_fragment("f", render).hit
    bump_in_another_process(tmp_path, "article:7")
    fresh = cached_fragment("f", render)
    assert not fresh.hit and fresh.content == "<p>2</p>"


def test_within_a_request_the_epoch_is_read_once(tmp_path):
    """A page is rendered as of its request's start: a bump elsewhere meanwhile is seen by
    the next request (and nothing is stored with versions newer than the cache's)."""
    pagecache.bump_now("section:3")
    request = RequestFactory().get("/")
    token = current_request.set(request)
    try:
        seen = pagecache.tag_versions(["section:3"])
        bump_in_another_process(tmp_path, "section:3")
        assert pagecache.tag_versions(["section:3"]) == seen
    finally:
        current_request.reset(token)
    assert pagecache.tag_versions(["section:3"])["section:3"] > seen["section:3"]


def test_a_cleared_cache_drops_the_kept_versions():
    pagecache.bump_now("home")
    assert pagecache.tag_versions(["home"])["home"] is not None
    pagecache.page_cache().clear()
    assert pagecache.tag_versions(["home"]) == {"home": None}


def test_a_kept_page_opens_a_few_cache_files_not_one_per_tag(client, desk, monkeypatch):
    """Before the local tier, the article page opened 37 files of the file cache per render
    (a file per tag version of each fragment), the home page 103 (tools/bench/render_profile.py
    on the generated newsroom); now the epoch and the few plain values the page reads."""
    from django.core.cache.backends.filebased import FileBasedCache

    opened = []
    original = FileBasedCache.get

    def counted(self, key, *args, **kwargs):
        opened.append(key)
        return original(self, key, *args, **kwargs)

    for path in (desk["a"].get_absolute_url(), reverse("articles:home")):
        client.get(path)
        client.get(path)
        monkeypatch.setattr(FileBasedCache, "get", counted)
        opened.clear()
        client.get(path)
        monkeypatch.setattr(FileBasedCache, "get", original)
        assert not any(key.startswith(pagecache.TAG_PREFIX) for key in opened), opened
        assert len(opened) <= 4, opened


def test_readers_walking_the_archive_do_not_push_out_the_fragments_every_page_uses(monkeypatch):
    """The fragments kept in this process drop the least recently used first: a new article's
    entries on every request must not evict the ticker or "most read", which every page reads
    (before, the whole store was emptied whenever it was full)."""
    from caching import fragments

    monkeypatch.setattr(fragments, "_KEPT_HERE_MAX", 8)
    opened = []

    def render(name):
        def rendered():
            opened.append(name)
            return f"<p>{name}</p>", {f"article:{name}"}

        return rendered

    fragments.cached_fragment("every-page", render("every-page"))
    for number in range(40):  # the archive: each article once, the shared part on every page
        fragments.cached_fragment(f"archive-{number}", render(f"archive-{number}"))
        assert fragments.cached_fragment("every-page", render("every-page")).hit
    kept_here = fragments._kept_here()
    assert len(kept_here) == 8, "bounded"
    assert fragments.FRAGMENT_PREFIX + "every-page" in kept_here
    assert fragments.FRAGMENT_PREFIX + "archive-0" not in kept_here, "the oldest went first"
    assert opened.count("every-page") == 1
    cache, read = fragments.page_cache(), []
    real_get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **k: read.append(key) or real_get(key, *a, **k)
    )
    assert fragments.cached_fragment("every-page", render("every-page")).hit
    assert fragments.FRAGMENT_PREFIX + "every-page" not in read, "served from this process"
