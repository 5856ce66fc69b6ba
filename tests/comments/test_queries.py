"""The article page runs a fixed number of queries however many comments it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import ReaderComment
from tests.comments.conftest import publish_comment
from tests.factories import make_article

pytestmark = pytest.mark.django_db

# article (+ comment count), bylines, sections menu, published comments, corrections. The
# related links cost a query too, but this lone article has none, and once that empty choice
# is remembered (articles.search.related_for_page) there is nothing to fetch.
ARTICLE_PAGE_QUERIES = 5


def add_comments(article, count):
    roots = [
        publish_comment(article, email=f"r{n}@example.com", text=f"تعليق رقم {n}")
        for n in range(count // 2)
    ]
    for n, root in enumerate(roots):
        publish_comment(article, email=f"c{n}@example.com", text=f"رد رقم {n}", parent_id=root.pk)


def test_article_page_with_200_comments_has_fixed_queries(client, article):
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


def test_lists_show_counts_without_n_plus_one(client):
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
