import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article
from comments.models import ReaderComment

pytestmark = pytest.mark.django_db


def test_generated_newsroom_has_threaded_comments_of_our_model():
    call_command("generate_newsroom", articles=40, sections=3, authors=3, comments=120, verbosity=0)
    assert Article.objects.published().count() == 40
    assert ReaderComment.objects.count() == 120
    comment = ReaderComment.objects.first()
    assert comment.thread_id == comment.pk and comment.level == 0
    counts = (
        Article.objects.published().with_comment_count().values_list("comment_count", flat=True)
    )
    assert sum(counts) == 120


def test_a_streamed_generation_is_published_searchable_and_counted(capsys):
    """COPY in chunks (300 articles in chunks of 70) gives what saved articles would have:
    published, found by the site's search, folded titles, bylines, comments spread over all."""
    from discovery.search import search_articles

    call_command(
        "generate_newsroom",
        articles=300,
        sections=4,
        authors=5,
        comments=450,
        chunk=70,
        rebuild_indexes_above=100,  # the big-load path: search indexes dropped, then rebuilt
        verbosity=1,
    )
    assert "articles: 300 / 300" in capsys.readouterr().err
    assert Article.objects.count() == Article.objects.published().count() == 300
    bench = Article.objects.get(slug="bench-article")
    assert bench.title_search  # derived as save() derives it
    assert list(search_articles("الغارديان")) == [bench]
    word = Article.objects.order_by("id")[150].title.split()[0]
    assert search_articles(word).exists()
    assert not Article.objects.filter(bylines__isnull=True).exists()
    counts = list(
        Article.objects.published().with_comment_count().values_list("comment_count", flat=True)
    )
    assert sum(counts) == ReaderComment.objects.count() == 450
    assert set(counts) == {1, 2}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'articles_article' "
            "AND indexname LIKE 'article_search_%%_gin'"
        )
        assert {row[0] for row in cursor.fetchall()} == {
            "article_search_ar_gin",
            "article_search_en_gin",
        }


def test_flush_empties_the_newsroom_before_generating_again():
    call_command("generate_newsroom", articles=30, sections=2, authors=2, comments=10, verbosity=0)
    with pytest.raises(CommandError, match="already has articles"):
        call_command("generate_newsroom", articles=5, verbosity=0)
    call_command(
        "generate_newsroom", articles=20, sections=2, authors=2, comments=5, flush=True, verbosity=0
    )
    assert Article.objects.count() == 20 and ReaderComment.objects.count() == 5


def test_generated_articles_have_topics_and_the_measured_one_has_a_topic_page(client):
    from articles.models import Topic

    call_command(
        "generate_newsroom", articles=60, sections=2, authors=2, comments=0, topics=7, verbosity=0
    )
    assert Topic.objects.count() == 7
    links = Article.topics.through.objects
    assert links.exists() and links.values("article").distinct().count() < 60, "0 to 3 each"
    measured = Article.objects.get(slug="bench-article").topics.get()
    page = client.get(measured.get_absolute_url())
    assert page.status_code == 200 and measured.name in page.content.decode()
    call_command(
        "generate_newsroom", articles=5, sections=1, authors=1, comments=0, topics=2, flush=True,
        verbosity=0,
    )  # fmt: skip
    assert Topic.objects.count() == 2
