"""In-process render profile: what one uncached page costs Django, independent of the load.

    NEWSROOM_DB_NAME=bench_newsroom .venv/bin/python tools/bench/render_profile.py \
        [--renders 200] [--pages article,home,...] [--cold] [--profile article]
    NEWSROOM_DB_NAME=bench_newsroom .venv/bin/python tools/bench/render_profile.py \
        --long-tail [--renders 300] [--profile article]

On the generated newsroom of ``make bench`` (database ``bench_newsroom``), with the page cache
off as in the bench's "uncached" phase (``--cold``: the fragment cache off too), each page is
rendered once to warm the fragments, then once more counting its SQL queries
(``CaptureQueriesContext``) and its cache calls (round trips to the cache, and files opened by
the file cache), then ``--renders`` times through Django's test client (middleware and all)
for the CPU time per render (``time.process_time``: this process's own CPU, which moves far
less with the machine's load than requests per second do) and PostgreSQL's beside it.
``--profile NAME`` prints the cProfile of that page's renders, sorted by cumulative time.

``--long-tail``: the "long tail" of ``make bench`` in process. The page cache and the fragment
cache are both on (the production stack's settings, the file cache in a fresh folder of its
own), a few articles are rendered first (the shared fragments: header, menus, "most read"),
then ``--renders`` random distinct published articles, each requested once: every request is
a miss of the page cache and of the article's own fragments. It prints the CPU time, queries,
cache round trips, files opened and entries stored per miss (``--profile article``: their
cProfile), and the CPU time PostgreSQL's own process spent on them (read from /proc): this
process's CPU does not include it, and it was a third of a miss's cost.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(BASE_DIR))

PAGES = ("article", "home", "section", "topic", "author", "search", "api list", "api detail")
CACHE_CALLS = ("get", "get_many", "set", "set_many", "add", "delete", "has_key", "incr")
STORES = ("set", "set_many", "add")


def count_cache_calls(counter: Counter):
    """Wrap the file cache's public calls: ``calls`` counts round trips (outermost calls
    only), ``files`` the entries the file cache opened (``get``/``has_key``, nested too)."""
    from django.core.cache.backends.filebased import FileBasedCache

    depth = [0]

    def wrap(name, original):
        def counted(self, *args, **kwargs):
            if depth[0] == 0:
                counter["calls"] += 1
            if name in ("get", "has_key", "add"):
                counter["files"] += 1
            if name in STORES and depth[0] == 0:
                counter["stores"] += 1
            depth[0] += 1
            try:
                return original(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        return counted

    for name in CACHE_CALLS:
        original = getattr(FileBasedCache, name)
        setattr(FileBasedCache, name, wrap(name, original))
        from caching.backends import FileCache

        if name in FileCache.__dict__:
            setattr(FileCache, name, wrap(name, FileCache.__dict__[name]))


def page_paths() -> dict[str, str]:
    from django.urls import reverse
    from django.utils import translation

    from articles.models import Article, Author, Section, Topic

    translation.activate("ar")
    article = Article.objects.get(slug="bench-article")
    section = Section.objects.order_by("order").first()
    paths = {
        "article": article.get_absolute_url(),
        "home": reverse("articles:home"),
        "section": section.get_absolute_url(),
        "search": reverse("discovery:search") + "?q=الحكومة",
        "api list": reverse("api:article-list"),
        "api detail": reverse("api:article-detail", kwargs={"pk": article.pk}),
    }
    topic = Topic.objects.filter(articles__isnull=False).first()
    if topic is not None:
        paths["topic"] = topic.get_absolute_url()
    author = Author.objects.filter(bylines__isnull=False).first()
    if author is not None:
        paths["author"] = author.get_absolute_url()
    return paths


def kernel_seconds() -> float:
    """This process's CPU time in the kernel so far (file writes are mostly that, and on
    this machine's disk their cost moves from run to run far more than Python's does)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_stime


def database_seconds() -> float:
    """The CPU time so far of the PostgreSQL process serving this connection (read from
    /proc: the server runs on this machine): the queries' cost, which this process's own
    CPU time does not include. 0 where /proc cannot tell."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def long_tail(args, counter: Counter) -> int:
    """Random distinct published articles, each rendered once with every cache on."""
    import random

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from articles.models import Article

    translation.activate("ar")
    ids = list(Article.objects.published().values_list("pk", flat=True))
    random.Random(args.seed).shuffle(ids)
    warm, measured = ids[:5], ids[5 : 5 + args.renders]
    paths = {
        pk: article.get_absolute_url()
        for pk, article in Article.objects.in_bulk(warm + measured).items()
    }
    client = Client()
    for pk in warm:  # the shared fragments kept, the connection open
        client.get(paths[pk])
    counter.clear()
    outcomes: Counter = Counter()
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    database = database_seconds()  # (its own query before the count of the misses' starts)
    with CaptureQueriesContext(connection) as queries:
        started, kernel = time.process_time(), kernel_seconds()
        if profiler:
            profiler.enable()
        for pk in measured:
            response = client.get(paths[pk])
            outcomes[(response.status_code, response.get("X-Page-Cache", "-"))] += 1
        if profiler:
            profiler.disable()
        cpu_ms = (time.process_time() - started) * 1000 / len(measured)
        kernel_ms = (kernel_seconds() - kernel) * 1000 / len(measured)
        query_count = len(queries)
    database_ms = (database_seconds() - database) * 1000 / len(measured)
    n = len(measured)
    print(f"long tail: {n} random distinct published articles of {len(ids):,}, each once")
    print("answers: " + ", ".join(f"{s} {c} ×{k}" for (s, c), k in sorted(outcomes.items())))
    print(
        f"{'CPU ms/miss':>11} {'of it kernel':>12} {'PostgreSQL':>10} {'queries':>7} "
        f"{'cache calls':>11} {'files':>5} {'stores':>6}"
    )
    print(
        f"{cpu_ms:>11.2f} {kernel_ms:>12.2f} {database_ms:>10.2f} {query_count / n:>7.2f} "
        f"{counter['calls'] / n:>11.2f} {counter['files'] / n:>5.2f} {counter['stores'] / n:>6.2f}"
    )
    if profiler:
        order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime
        pstats.Stats(profiler).sort_stats(order).print_stats(args.top)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--cold", action="store_true", help="the fragment cache off too")
    parser.add_argument("--profile", default="", help="a page to cProfile")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument(
        "--long-tail", action="store_true", help="random articles, every cache on, each a miss"
    )
    parser.add_argument("--seed", type=int, default=1, help="the long tail's random order")
    args = parser.parse_args()

    os.environ.setdefault("NEWSROOM_DB_NAME", "bench_newsroom")
    os.environ["NEWSROOM_PAGE_CACHE"] = "1" if args.long_tail else "0"
    if args.long_tail:  # an empty file cache of its own: nothing kept by an earlier run
        # One folder kept between runs and emptied, beside the stack's own file cache: on
        # this machine's disk the first few thousand files made in a new folder cost up to
        # 0.6 ms of CPU each, against 0.05 ms in a folder that has held as many before.
        folder = BASE_DIR / ".local" / "render-profile-cache"
        folder.mkdir(parents=True, exist_ok=True)
        for path in folder.iterdir():
            path.unlink()
        os.environ["NEWSROOM_CACHE_DIR"] = str(folder)
    os.environ["NEWSROOM_RATE_LIMIT_ENABLED"] = "0"
    os.environ.setdefault("DJANGO_DEBUG", "0")
    if args.cold:
        os.environ["NEWSROOM_FRAGMENT_CACHE"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # the test client's hooks; the database stays bench_newsroom
    # ...but not its instrumented template render: it sends a signal for every template
    # rendered, and the test client copies the whole context on each, which a served page
    # never does (it made the cold article's templates look twice their cost).
    from django.template import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    counter: Counter = Counter()
    count_cache_calls(counter)
    if args.long_tail:
        return long_tail(args, counter)
    paths = page_paths()
    client = Client()
    wanted = [name for name in args.pages.split(",") if name]
    print(f"{'page':<12} {'status':>6} {'queries':>7} {'cache calls':>11} {'files':>5} "
          f"{'CPU ms/render':>13} {'PostgreSQL':>10}")  # fmt: skip
    for name in wanted:
        path = paths.get(name)
        if path is None:
            print(f"{name:<12} (no such page here)")
            continue
        client.get(path)  # warm: fragments kept, connection open
        counter.clear()
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        # Read now: the connection's query log does not outlive a reconnection.
        query_count, calls, files = len(queries), counter["calls"], counter["files"]
        profiler = cProfile.Profile() if name == args.profile else None
        started, database = time.process_time(), database_seconds()
        if profiler:
            profiler.enable()
        for _ in range(args.renders):
            client.get(path)
        if profiler:
            profiler.disable()
        cpu_ms = (time.process_time() - started) * 1000 / args.renders
        database_ms = (database_seconds() - database) * 1000 / args.renders
        print(f"{name:<12} {status:>6} {query_count:>7} {calls:>11} {files:>5} {cpu_ms:>13.2f} "
              f"{database_ms:>10.2f}")  # fmt: skip
        if profiler:
            order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime
            pstats.Stats(profiler).sort_stats(order).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
