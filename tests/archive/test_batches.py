"""The import in batches: one transaction per batch, a constant number of queries for a batch
of new posts, and a run killed by SIGKILL resumed by running it again."""

import io
import subprocess
import sys

import django_comments
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from archive.models import ImportedArticle, ImportedComment, LegacyPath
from articles.models import Article, Byline
from tests.archive.wxr_factory import comment, item, wxr
from tests.counters.concurrency import child_process_env


def export_of(path, first_id, count, comments_each=3):
    posts = []
    for post_id in range(first_id, first_id + count):
        base = post_id * 10
        posts.append(
            item(
                post_id,
                f"خبر رقم {post_id}",
                categories=("سياسة",),
                comments=[
                    comment(base, "تعليق أول"),
                    comment(base + 1, "رد عليه", parent=base, date="2017-04-28 11:00:00"),
                    comment(base + 2, "تعليق آخر", date="2017-04-28 12:00:00"),
                ][:comments_each],
            )
        )
    path.write_text(wxr(*posts), encoding="utf-8")
    return path


def import_quietly(path, **options):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_archive", str(path), stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.mark.django_db
def test_a_batch_of_new_posts_takes_the_same_queries_whatever_its_size(tmp_path):
    """New posts of a batch are written together: 3 posts or 12, the same statements."""
    import_quietly(export_of(tmp_path / "warm.xml", 1, 1))  # section and author exist now
    counts = []
    for first, count in ((100, 3), (200, 12)):
        path = export_of(tmp_path / f"posts-{count}.xml", first, count)
        with CaptureQueriesContext(connection) as queries:
            import_quietly(path)
        counts.append(len(queries))
    assert Article.objects.count() == 16
    assert django_comments.get_model().objects.count() == 48
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_a_bulk_imported_article_has_its_first_version(tmp_path):
    """What simple_history's receiver would have written, bylines included."""
    import_quietly(export_of(tmp_path / "export.xml", 1, 3))
    article = Article.objects.get(title_ar="خبر رقم 2")
    version = article.history.get()
    assert version.history_type == "+"
    assert version.title_ar == article.title_ar and version.slug == article.slug
    assert version.relations == {"topics": [], "bylines": ["فريق ماسة"]}


@pytest.mark.django_db
def test_an_unchanged_batch_is_one_query(tmp_path):
    path = export_of(tmp_path / "export.xml", 1, 8)
    import_quietly(path)
    with CaptureQueriesContext(connection) as queries:
        summary = import_quietly(path, verbosity=1)
    lookups = [q for q in queries if "archive_importedarticle" in q["sql"]]
    assert len(lookups) == 1
    assert not [q for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "COPY"))]
    assert "skipped: 8" in summary


KILLED_IN_THE_FOURTH_BATCH = """
import django
django.setup()
from django.core.management import call_command
from archive.importer import ArchiveImporter
from archive.management.commands import import_archive

import_archive.BATCH_SIZE = 10
batches = 0
write_comments = ArchiveImporter._create_batch_comments


def write_then_die(self, new, articles):
    global batches
    batches += 1
    write_comments(self, new, articles)
    if batches == 4:  # three batches committed; the fourth written, not committed
        os.kill(os.getpid(), signal.SIGKILL)


ArchiveImporter._create_batch_comments = write_then_die
call_command("import_archive", sys.argv[1], verbosity=0)
"""


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_midway_is_completed_by_the_next(tmp_path):
    path = export_of(tmp_path / "export.xml", 1, 60)
    child = subprocess.run(
        [sys.executable, "-c", "import os, signal, sys\n" + KILLED_IN_THE_FOURTH_BATCH, path],
        env=child_process_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -9, child.stderr
    # The three committed batches are there whole; nothing of the fourth.
    assert ImportedArticle.objects.count() == Article.objects.count() == 30
    assert django_comments.get_model().objects.count() == 90
    assert Byline.objects.count() == 30

    summary = import_quietly(path, verbosity=1)

    assert "created: 30" in summary and "skipped: 30" in summary
    assert Article.objects.count() == ImportedArticle.objects.count() == 60
    assert sorted(ImportedArticle.objects.values_list("source_id", flat=True), key=int) == [
        str(n) for n in range(1, 61)
    ]
    comments = django_comments.get_model().objects
    assert comments.count() == ImportedComment.objects.count() == 180
    assert LegacyPath.objects.filter(path="/?p=45").count() == 1
    for article in Article.objects.all():  # every article with its own three comments
        assert comments.filter(object_pk=str(article.pk)).count() == 3
        assert article.bylines.count() == 1
