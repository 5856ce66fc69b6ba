"""File-cache benchmark: set and get latency with 1,000 and 100,000 entries in the folder.

    .venv/bin/python tools/bench/cache_bench.py [--sizes 1000 100000] [--ops 2000]

Compares the newsroom's cache (caching/backends.py: the folder is looked at once in
CULL_EVERY writes, in the background) with Django's FileBasedCache (lists the whole folder on
every set) in the same run, on a temporary folder filled to each size. Writes must cost the
same at both sizes. Exits non-zero, naming the part, when a part fails.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(BASE_DIR))

PAGE = "<html>" + "خبر " * 2000 + "</html>"  # about a cached article page


def fill(folder: Path, entries: int) -> None:
    from caching.backends import FileCache

    cache = FileCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": entries * 10}})
    for number in range(entries):
        cache.set(f"fill-{number}", PAGE, timeout=3600)


def time_ops(cache, ops: int) -> tuple[float, float]:
    """Median set and get latency in milliseconds."""
    sets, gets = [], []
    for number in range(ops):
        started = time.perf_counter()
        cache.set(f"bench-{number}", PAGE, timeout=3600)
        sets.append(time.perf_counter() - started)
        started = time.perf_counter()
        if cache.get(f"bench-{number}") != PAGE:
            raise AssertionError("a value read back differs from the one written")
        gets.append(time.perf_counter() - started)
    return statistics.median(sets) * 1000, statistics.median(gets) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--ops", type=int, default=2000)
    args = parser.parse_args()

    import django
    from django.conf import settings

    settings.configure()
    django.setup()
    from django.core.cache.backends.filebased import FileBasedCache

    from caching.backends import FileCache

    print(f"{'entries':>8} {'cache':>8} {'set ms':>8} {'get ms':>8}")
    results = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="cache-bench-") as folder:
            started = time.monotonic()
            fill(Path(folder), size)
            print(f"# filled {size:,} entries in {time.monotonic() - started:.1f} s")
            # The default MAX_ENTRIES (50,000) would cull the 100k folder; both get room.
            options = {"OPTIONS": {"MAX_ENTRIES": size * 10}}
            for name, backend, ops in (
                ("ours", FileCache, args.ops),
                ("django", FileBasedCache, max(10, min(args.ops, 200_000 // size))),
            ):
                set_ms, get_ms = time_ops(backend(folder, options), ops)
                results[name, size] = set_ms
                print(f"{size:>8,} {name:>8} {set_ms:>8.3f} {get_ms:>8.3f}")
    if len(args.sizes) >= 2:
        small, large = min(args.sizes), max(args.sizes)
        ratio = results["ours", large] / results["ours", small]
        print(
            f"set latency at {large:,} vs {small:,} entries: ours {ratio:.2f}x, "
            f"django {results['django', large] / results['django', small]:.1f}x"
        )
        if ratio > 3:
            print(f"FAILED: cache writes: ours grow {ratio:.1f}x with the folder's size")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
