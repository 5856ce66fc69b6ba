"""Every public page's queries can be answered from indexes: no sequential scan of articles.

The test database is tiny, so PostgreSQL would rightly choose sequential scans; with
``enable_seqscan = off`` a plan still reading a table sequentially means no index fits.
The same check runs on the generated 10,000-article newsroom in ``make bench``
(``manage.py explain_pages``).
"""

import pytest

from articles.management.commands.explain_pages import WATCHED_TABLES, explain_page, page_urls
from articles.views import HOME_PER_SECTION
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_newsroom():
    sections = [make_section() for _ in range(3)]
    authors = [make_author() for _ in range(3)]
    for i in range(39):  # 13 per section: two pages
        make_article(section=sections[i % 3], authors=[authors[i % 3]])
    return sections


def test_no_page_needs_a_sequential_scan_of_a_large_table(small_newsroom):
    urls = page_urls()
    assert set(urls) == {"home", "section", "section (page 2)", "author", "article"}
    for name, url in urls.items():
        results = explain_page(url, seqscan=False)
        assert results, name
        for sql, plan, scans in results:
            assert not scans & set(WATCHED_TABLES), (name, sql, plan)


def test_home_shows_the_latest_articles_of_each_section(client, small_newsroom):
    from datetime import timedelta

    busy = small_newsroom[0]
    newest = [
        make_article(f"الأحدث {n}", section=busy, ago=timedelta(minutes=n)) for n in range(1, 5)
    ]
    older = make_article("أقدم من أن يظهر", section=busy, ago=timedelta(days=30))
    response = client.get("/ar/")
    blocks = dict(response.context["section_blocks"])
    assert [a.pk for a in blocks[busy]] == [a.pk for a in newest]
    assert len(blocks[busy]) == HOME_PER_SECTION
    assert older.title not in response.content.decode()
    assert all(len(articles) == HOME_PER_SECTION for articles in blocks.values())
