"""WordPress tags and categories become topics, pages become static pages (issue 16); the
tags kept on earlier import records are folded into topics by a migration."""

import pytest

from articles.models import Article, Topic
from pages.models import Page
from tests.archive.wxr_factory import item, wxr

pytestmark = pytest.mark.django_db


def write(tmp_path, *items, name="export.xml"):
    path = tmp_path / name
    path.write_text(wxr(*items), encoding="utf-8")
    return path


@pytest.fixture
def run(run_import):  # tests/archive/conftest.py: the command's summary, in English
    return run_import


@pytest.fixture
def export(tmp_path):
    return write(
        tmp_path,
        item(201, "زيارة الأسد الأولى", tags=("الاسد", "دمشق"), categories=("سياسة", "عربي")),
        item(202, "زيارة الأسد الثانية", tags=("الأسد",), categories=("سياسة",)),
        item(203, "من نحن", post_type="page", slug="من-نحن", content="<p>موقع إخباري.</p>"),
        item(204, "صفحة مسودة", post_type="page", status="draft", slug="مسودة"),
    )


def counts():
    return (
        Article.objects.count(),
        Topic.objects.count(),
        Article.topics.through.objects.count(),
        Page.objects.count(),
    )


def test_tags_become_topics_one_per_folded_name(client, export, run):
    run(export)
    lion = Topic.objects.get(name_key="الاسد")
    assert set(lion.articles.values_list("title_ar", flat=True)) == {
        "زيارة الأسد الأولى",
        "زيارة الأسد الثانية",
    }
    first = Article.objects.get(title_ar="زيارة الأسد الأولى")
    assert first.section.name_ar == "سياسة"  # the first category: the section
    assert set(first.topics.values_list("name_ar", flat=True)) == {"الاسد", "دمشق", "عربي"}
    page = client.get(lion.get_absolute_url()).content.decode()
    assert "زيارة الأسد الأولى" in page and "زيارة الأسد الثانية" in page
    assert first.history.latest().relations["topics"] == ["الاسد", "دمشق", "عربي"]


def test_pages_become_static_pages(client, export, run):
    summary = run(export)
    assert "static pages made: 2" in summary
    about = Page.objects.get(slug="من-نحن")
    assert about.is_published and "موقع إخباري." in about.body_ar
    assert not about.show_in_footer  # an editor chooses the footer's links
    assert not Page.objects.get(slug="مسودة").is_published
    assert client.get(about.get_absolute_url()).status_code == 200


def test_a_second_run_adds_nothing(export, run):
    run(export)
    before = counts()
    summary = run(export)
    assert counts() == before
    assert "created: 0" in summary and "static pages made: 0" in summary


def test_a_category_mapped_as_a_topic(tmp_path, run):
    path = write(tmp_path, item(301, "خبر", categories=("ملفات", "اقتصاد")))
    run(path, category_as_topic=["ملفات"])
    article = Article.objects.get()
    assert article.section.name_ar == "اقتصاد"
    assert list(article.topics.values_list("name_ar", flat=True)) == ["ملفات"]


def test_a_changed_post_gains_topics_and_keeps_the_editors(tmp_path, run):
    path = write(tmp_path, item(401, "خبر", tags=("الطقس",)))
    run(path)
    article = Article.objects.get()
    article.topics.add(Topic.for_name("أضافه المحرر"))
    Article.objects.filter(pk=article.pk).update(updated_at=article.updated_at)  # not an edit
    path = write(tmp_path, item(401, "خبر", tags=("الطقس", "الأمطار")))
    run(path)
    names = set(Article.objects.get().topics.values_list("name_ar", flat=True))
    assert {"الطقس", "الأمطار", "أضافه المحرر"} <= names


@pytest.mark.django_db(transaction=True)
def test_tags_on_earlier_import_records_become_topics():
    """archive 0003 folds the tags kept on import records (before topics existed) in."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from archive.models import ImportedArticle
    from tests.factories import make_article

    first, second = make_article("أول"), make_article("ثان")
    ImportedArticle.objects.create(source="wp", source_id="1", article=first, tags=["الاسد", "حلب"])
    ImportedArticle.objects.create(source="wp", source_id="2", article=second, tags=["الأسد"])
    executor = MigrationExecutor(connection)
    executor.migrate([("archive", "0002_legacy_paths_of_sections_and_authors")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    lion = Topic.objects.get(name_key="الاسد")
    assert set(lion.articles.all()) == {first, second}
    assert set(first.topics.values_list("name_ar", flat=True)) == {"الاسد", "حلب"}


def test_old_tag_addresses_lead_to_the_topic(client, tmp_path, run):
    path = write(tmp_path, item(501, "خبر", tags=("الزراعة",)))  # nicename "t0" in the export
    run(path)
    topic = Topic.objects.get(name_ar="الزراعة")
    for old in ("/tag/t0/", "/tag/t0"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == topic.get_absolute_url()
