"""The default cache's counters hold when several worker processes count at once."""

import multiprocessing

import pytest

from newsroom.cache import FileCache

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
