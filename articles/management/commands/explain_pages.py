"""EXPLAIN every SQL query each public page type runs, and flag sequential scans.

Renders home, section, author and article pages in-process (page cache off), captures their
queries and runs ``EXPLAIN`` (``--analyze`` for timings) on each. Meant for a generated
newsroom (``NEWSROOM_DB_NAME=bench_newsroom``, see ``make bench``); exits non-zero when a
large table (articles, bylines, comments) is read by a sequential scan.
"""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from articles.models import Article, Author, Section

WATCHED_TABLES = ("articles_article", "articles_byline", "django_comments")


def page_urls():
    """One URL per public page type, on the fullest section and author."""
    with translation.override("ar"):
        from django.urls import reverse

        article = Article.objects.published().order_by("pk").first()
        if article is None:
            return {"home": reverse("articles:home")}
        section = Section.objects.filter(articles__isnull=False).order_by("pk").first()
        author = Author.objects.filter(bylines__isnull=False).order_by("pk").first()
        return {
            "home": reverse("articles:home"),
            "section": section.get_absolute_url(),
            "section (page 2)": section.get_absolute_url() + "?page=2",
            "author": author.get_absolute_url(),
            "article": article.get_absolute_url(),
        }


def explain_page(url, *, analyze=False, seqscan=True):
    """[(sql, plan lines, tables read by Seq Scan)] for every query ``url`` runs."""
    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(NEWSROOM_PAGE_CACHE_ENABLED=False):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}")
    results = []
    with connection.cursor() as cursor:
        if not seqscan:
            cursor.execute("SET enable_seqscan = off")
        try:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(("EXPLAIN ANALYZE " if analyze else "EXPLAIN ") + sql)
                plan = [row[0] for row in cursor.fetchall()]
                scans = set(re.findall(r"Seq Scan on (\w+)", "\n".join(plan)))
                results.append((sql, plan, scans))
        finally:
            if not seqscan:
                cursor.execute("RESET enable_seqscan")
    return results


class Command(BaseCommand):
    help = "EXPLAIN the queries of every public page type; flag sequential scans."

    def add_arguments(self, parser):
        parser.add_argument("--analyze", action="store_true", help="EXPLAIN ANALYZE (timings).")
        parser.add_argument("--plans", action="store_true", help="Print the full plans.")

    def handle(self, *args, analyze=False, plans=False, verbosity=1, **options):
        bad = []
        self.stdout.write(
            f"{Article.objects.count():,} articles in {connection.settings_dict['NAME']!r}"
        )
        for name, url in page_urls().items():
            results = explain_page(url, analyze=analyze)
            self.stdout.write(f"{name:17} {len(results)} queries  {url}")
            for sql, plan, scans in results:
                watched = sorted(scans & set(WATCHED_TABLES))
                timing = next((line for line in plan if "Execution Time" in line), "")
                mark = (
                    f"SEQ SCAN on {', '.join(watched)}" if watched else "no seq scan of big tables"
                )
                self.stdout.write(f"    - {mark:45} {timing.strip()}  {sql[:70]}…")
                if plans or watched:
                    for line in plan:
                        self.stdout.write("        " + line)
                if watched:
                    bad.append((name, watched))
        if bad:
            raise CommandError(f"sequential scans of large tables: {bad}")
        self.stdout.write(self.style.SUCCESS("No page reads articles by a sequential scan."))
