"""The page cache on the file cache, as the laptop default runs it: every test of
test_page_cache.py again, with tag versions read through this process's local tier
(caching/pagecache.py ``LocalVersions``): invalidation stays exact."""

import pytest

from tests.articles.test_page_cache import *  # noqa: F403 (the same tests, collected here again)
from tests.articles.test_page_cache import _no_skew_margin  # noqa: F401 (autouse)


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
