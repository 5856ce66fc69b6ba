"""The article page runs a fixed number of queries however many comments it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import ReaderComment
from tests.comments.conftest import publish_comment
from tests.factories import make_article

pytestmark = pytest.mark.django_db

# A full render (no page cache, no kept fragments): the article's frame, the article (+ comment
# count, view total, bylines and topics (issue 16) in the same query: issue 33; it also says
# whether there are corrections to ask for, and here there are none), published comments,
# sections menu, the footer's static pages. The related
# links cost a query too, but this lone article has none, and once that empty choice is
# remembered (articles.related.related_for_page) there is nothing to fetch.
ARTICLE_PAGE_QUERIES = 6  # and the breaking-news ticker (issue 19)


def add_comments(article, count):
    roots = [
        publish_comment(article, email=f"r{n}@example.com", text=f"تعليق رقم {n}")
        for n in range(count // 2)
    ]
    for n, root in enumerate(roots):
        publish_comment(article, email=f"c{n}@example.com", text=f"رد رقم {n}", parent_id=root.pk)


def test_article_page_with_200_comments_has_fixed_queries(client, article, settings):
    settings.NEWSROOM_PAGE_CACHE_ENABLED = False
    settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = False
    client.get(article.get_absolute_url())  # warm the "most read" lists (cached for minutes)
    with CaptureQueriesContext(connection) as empty:
        client.get(article.get_absolute_url())
    add_comments(article, 200)
    assert ReaderComment.objects.count() == 200
    with CaptureQueriesContext(connection) as full:
        response = client.get(article.get_absolute_url())
    content = response.content.decode()
    assert content.count('class="comment level-0"') == 100
    assert content.count('class="comment level-1"') == 100
    assert "200 تعليق" in content
    assert len(empty) == len(full) == ARTICLE_PAGE_QUERIES, [q["sql"] for q in full]


def test_new_comments_refresh_the_kept_fragments(client, article, settings):
    """With the fragments kept (and no page cache), approving comments re-renders the list
    and the count at once, and the page is back to one query afterwards."""
    settings.NEWSROOM_PAGE_CACHE_ENABLED = False
    settings.NEWSROOM_PAGE_CACHE_SKEW_SECONDS = 0
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as kept:
        assert "لا تعليقات بعد" in client.get(article.get_absolute_url()).content.decode()
    add_comments(article, 4)
    content = client.get(article.get_absolute_url()).content.decode()
    assert content.count('class="comment level-') == 4
    assert "4 تعليقات" in content
    with CaptureQueriesContext(connection) as again:
        repeat = client.get(article.get_absolute_url()).content.decode()
    assert repeat.count('class="comment level-') == 4
    assert len(kept) == len(again) == 1, [q["sql"] for q in again.captured_queries]


def test_lists_show_counts_without_n_plus_one(client, settings):
    settings.NEWSROOM_PAGE_CACHE_ENABLED = False  # a full render every time: its queries
    settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = False
    articles = [make_article() for _ in range(3)]
    client.get("/ar/")  # warm the "most read" lists (cached for minutes)
    with CaptureQueriesContext(connection) as few:
        client.get("/ar/")
    for article in articles:
        add_comments(article, 4)
    more = [make_article() for _ in range(5)]
    add_comments(more[0], 2)
    with CaptureQueriesContext(connection) as many:
        content = client.get("/ar/").content.decode()
    for article in articles:
        assert f'href="{article.get_absolute_url()}#comments">4 تعليقات</a>' in content
    assert f'href="{more[0].get_absolute_url()}#comments">تعليقان</a>' in content
    assert len(few) == len(many)
