"""The default cache's counters hold when several worker processes count at once."""

import multiprocessing
import time

import pytest

from caching.backends import FileCache

PROCESSES, EACH = 4, 150


def _count(location, backend, key):
    from django.core.cache.backends.filebased import FileBasedCache

    cache = {"ours": FileCache, "django": FileBasedCache}[backend](location, {})
    for _ in range(EACH):
        cache.add(key, 0, timeout=60)
        cache.incr(key)


def count_in_processes(location, backend):
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_count, args=(str(location), backend, "hits"))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    return FileCache(str(location), {}).get("hits")


def test_no_increment_is_lost_across_processes(tmp_path):
    assert count_in_processes(tmp_path / "ours", "ours") == PROCESSES * EACH


def test_the_race_this_fixes_is_real(tmp_path):
    """Django's own file cache loses increments in the same run (else the test above would
    prove nothing). Skipped, with the reason, on a machine too quiet to show the race."""
    total = count_in_processes(tmp_path / "django", "django")
    if total == PROCESSES * EACH:
        pytest.skip("this run happened to interleave no increments; the race did not show")
    assert total < PROCESSES * EACH


def test_incr_keeps_the_entry_expiry(tmp_path):
    cache = FileCache(str(tmp_path), {})
    cache.add("window", 0, timeout=30)
    cache.incr("window")
    remaining = cache._remaining("window", None)
    assert 25 < remaining <= 30
    with pytest.raises(ValueError):
        cache.incr("missing")


# Writes cost the same whatever the folder holds ------------------------------------------


def _cache(location, **options):
    return FileCache(str(location), {"OPTIONS": options})


def _files(location):
    return [name for name in location.iterdir() if name.suffix == ".djcache"]


def test_a_write_does_not_list_the_folder(tmp_path, monkeypatch):
    """Django's file cache lists its whole folder on every set (O(entries) per write); ours
    looks once in CULL_EVERY writes."""
    cache = _cache(tmp_path, MAX_ENTRIES=100_000, CULL_EVERY=100, CULL_IN_BACKGROUND=False)
    listings = []
    original = FileCache._list_cache_files
    monkeypatch.setattr(
        FileCache, "_list_cache_files", lambda self: listings.append(1) or original(self)
    )
    for number in range(1000):
        cache.set(f"page-{number}", "x" * 100, timeout=60)
    assert 9 <= len(listings) <= 10
    assert cache.get("page-999") == "x" * 100


def test_django_lists_the_folder_on_every_write(tmp_path, monkeypatch):
    """The defect this replaces is real: the same writes with Django's class list every time."""
    from django.core.cache.backends.filebased import FileBasedCache

    cache = FileBasedCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 100_000}})
    listings = []
    original = FileBasedCache._list_cache_files
    monkeypatch.setattr(
        FileBasedCache, "_list_cache_files", lambda self: listings.append(1) or original(self)
    )
    for number in range(50):
        cache.set(f"page-{number}", "x", timeout=60)
    assert len(listings) == 50


def test_the_folder_stays_bounded(tmp_path):
    cache = _cache(tmp_path, MAX_ENTRIES=50, CULL_EVERY=10, CULL_IN_BACKGROUND=False)
    for number in range(500):
        cache.set(f"page-{number}", number, timeout=60)
    assert len(_files(tmp_path)) <= 50 + 10


def test_a_cull_removes_expired_entries_first(tmp_path, time_machine):
    time_machine.move_to("2026-12-06 12:00:00+00:00", tick=False)
    cache = _cache(tmp_path, MAX_ENTRIES=20, CULL_EVERY=1_000_000)
    for number in range(15):
        cache.set(f"old-{number}", number, timeout=5)
    for number in range(10):
        cache.set(f"kept-{number}", number, timeout=None)
    time_machine.move_to("2026-12-06 12:01:00+00:00", tick=False)
    assert cache.cull() == 15
    assert len(_files(tmp_path)) == 10
    assert [cache.get(f"kept-{number}") for number in range(10)] == list(range(10))


def test_a_cull_spares_the_entries_that_never_expire(tmp_path):
    """Tag versions (stored without a timeout) are what every kept page is checked against:
    a random cull that removed ``pagetag:site`` would throw away every kept page at once."""
    cache = _cache(tmp_path, MAX_ENTRIES=20, CULL_EVERY=1_000_000)
    for number in range(10):
        cache.set(f"pagetag:article:{number}", number, timeout=None)
    for number in range(30):
        cache.set(f"page-{number}", number, timeout=60)
    assert cache.cull() == 40 // 3
    assert [cache.get(f"pagetag:article:{number}") for number in range(10)] == list(range(10))
    assert sum(cache.get(f"page-{number}") is not None for number in range(30)) == 30 - 13


def test_entries_that_never_expire_are_culled_when_they_alone_fill_the_folder(tmp_path):
    cache = _cache(tmp_path, MAX_ENTRIES=20, CULL_EVERY=1_000_000)
    for number in range(30):
        cache.set(f"pagetag:article:{number}", number, timeout=None)
    assert cache.cull() == 10
    assert len(_files(tmp_path)) == 20


def test_a_cull_under_the_limit_removes_nothing(tmp_path):
    cache = _cache(tmp_path, MAX_ENTRIES=100, CULL_EVERY=1_000_000)
    for number in range(30):
        cache.set(f"page-{number}", number, timeout=60)
    assert cache.cull() == 0
    assert len(_files(tmp_path)) == 30


def test_the_background_cull_runs_and_ends(tmp_path):
    from caching import backends as cache_module

    cache = _cache(tmp_path, MAX_ENTRIES=40, CULL_EVERY=5)
    for number in range(200):
        cache.set(f"page-{number}", number, timeout=60)
    deadline = time.monotonic() + 10
    while str(tmp_path) in cache_module._culls_running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert str(tmp_path) not in cache_module._culls_running
    assert len(_files(tmp_path)) < 200


def test_entries_are_compressed_at_the_fastest_level_and_read_back(tmp_path):
    """zlib level 1 (a sixth bigger, a third of the CPU); Django's own class reads them too."""
    import pickle
    import zlib

    from django.core.cache.backends.filebased import FileBasedCache

    page = "<p>" + "خبر عاجل من دمشق " * 2000 + "</p>"
    fast = _cache(tmp_path / "fast")
    default = _cache(tmp_path / "default", COMPRESS_LEVEL=6)
    fast.set("page", page, timeout=60)
    default.set("page", page, timeout=60)
    assert fast.get("page") == default.get("page") == page
    assert FileBasedCache(str(tmp_path / "fast"), {}).get("page") == page
    (fast_file,), (default_file,) = _files(tmp_path / "fast"), _files(tmp_path / "default")
    assert fast_file.stat().st_size > default_file.stat().st_size  # the price: a bigger file
    body = pickle.dumps(page, pickle.HIGHEST_PROTOCOL)
    with open(fast_file, "rb") as handle:
        pickle.load(handle)  # the expiry
        assert handle.read() == zlib.compress(body, 1) != zlib.compress(body, 6)
