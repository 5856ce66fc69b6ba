"""`make bench-front`: the home page rendered uncached, today's automatic page and the editors'
12-block layout side by side in one run, on a generated newsroom.

    python tools/bench/front_page_bench.py [--articles 100000] [--database bench_front]
        [--renders 50]

1. the database (``bench_front`` by default) gets ``--articles`` articles from
   ``generate_newsroom`` once (streamed COPY); later runs reuse them;
2. with the page and fragment caches off (every request a full render: the worst case, what a
   cold cache costs), the home page is rendered ``--renders`` times without a layout, then
   with a published 12-block layout (lead, hand-picked lists, section blocks, most read, live
   coverage, links; hand-picked slots in half of them), alternating, after a warm-up of each;
3. prints the median and 90th percentile milliseconds and the queries per render of each, and
   exits non-zero when the layout's median is more than ``--tolerance`` (10 % by default)
   slower than today's page. The layout is removed afterwards.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PY = sys.executable


def manage(env, *args):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, text=True)


def prepare(database: str, articles: int) -> None:
    env = {**os.environ, "NEWSROOM_DB_NAME": database}
    if manage(env, "migrate", "--noinput", "-v0").returncode:
        sys.exit("migrate failed")
    code = "from articles.models import Article; print(Article.objects.count())"
    done = subprocess.run(
        [PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, text=True, capture_output=True
    )
    if done.returncode:
        sys.exit(done.stderr[-2000:])
    if int(done.stdout.split()[-1]) != articles:
        print(f"generating {articles:,} articles in {database} …", flush=True)
        made = manage(env, "generate_newsroom", "--articles", str(articles), "--flush")
        if made.returncode:
            sys.exit("generate_newsroom failed")


def build_layout():
    """A published 12-block layout over the generated sections (returns it)."""
    from articles.models import Article, Section
    from frontpage import services
    from frontpage.models import Block, Layout, Slot

    Layout.objects.filter(section=None).delete()
    draft = services.current_draft()
    sections = list(Section.objects.order_by("order", "pk")[:7])
    picks = list(Article.objects.published().values_list("pk", flat=True)[20:26])
    kinds = [
        {"kind": "lead", "size": 1},
        {"kind": "picked", "size": 6, "title_ar": "آخر الأخبار"},
        {"kind": "live", "size": 2, "title_ar": "مباشر"},
        {"kind": "most_read", "size": 5},
        *({"kind": "section", "size": 4, "section": section} for section in sections),
        {"kind": "links", "size": 3, "title_ar": "روابط"},
    ][:12]
    for position, spec in enumerate(kinds, start=1):
        block = Block.objects.create(layout=draft, position=position, **spec)
        if position % 2 and spec["kind"] not in ("most_read", "links", "live"):
            Slot.objects.create(block=block, position=2, article_id=picks[position % len(picks)])
        if spec["kind"] == "links":
            Slot.objects.create(block=block, position=1, label_ar="من نحن", url="/ar/page/about/")
    services.publish(draft=draft)
    return Block.objects.filter(layout__status="live").count()


def measure(client, path: str, renders: int, *, count: bool = False) -> tuple[list[float], int]:
    """Milliseconds of ``renders`` renders (and, with ``count``, the queries of one more)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], 0
    if count:
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries = len(captured)
    for _ in range(renders):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return timings, queries


def report(name: str, timings: list[float], queries: int) -> float:
    median = statistics.median(timings)
    p90 = statistics.quantiles(timings, n=10)[-1]
    print(f"  {name:<28} median {median:7.1f} ms   p90 {p90:7.1f} ms   {queries} queries")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--database", default="bench_front")
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--tolerance", type=float, default=0.10)
    args = parser.parse_args()
    prepare(args.database, args.articles)

    os.environ.update(
        NEWSROOM_DB_NAME=args.database, NEWSROOM_PAGE_CACHE="0", NEWSROOM_FRAGMENT_CACHE="0"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from frontpage import cache
    from frontpage.models import Layout

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    client = Client()
    Layout.objects.filter(section=None).delete()
    try:
        cache.layout_published()
        _, plain_queries = measure(client, "/ar/", 5, count=True)  # warm-up
        blocks = build_layout()
        _, layout_queries = measure(client, "/ar/", 5, count=True)
        plain, with_layout = [], []
        for _ in range(args.renders):  # alternate, so both meet the same machine load
            Layout.objects.filter(status="live", section=None).update(status="history")
            cache.layout_published()
            plain += measure(client, "/ar/", 1)[0]
            Layout.objects.filter(status="history", section=None).update(status="live")
            cache.layout_published()
            with_layout += measure(client, "/ar/", 1)[0]
    finally:
        Layout.objects.filter(section=None).delete()
        cache.layout_published()
    print(f"home page, uncached, {args.articles:,} articles, {args.renders} renders each:")
    today = report("today's automatic page", plain, plain_queries)
    layout = report(f"editors' layout ({blocks} blocks)", with_layout, layout_queries)
    ratio = layout / today
    print(f"  layout / today: {ratio:.2f}x")
    if ratio > 1 + args.tolerance:
        print(f"FAILED: the layout's render is more than {args.tolerance:.0%} slower")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
