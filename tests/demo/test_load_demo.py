from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from articles.models import Article, Author

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_newsroom(django_db_setup, django_db_blocker, tmp_path_factory):
    """``load_demo`` run once for this module's tests (most of its cost is the renditions of
    twenty images), in a transaction rolled back after the last of them: each test runs in a
    savepoint inside it and sees the demo as a first ``load_demo`` leaves it."""
    media = tmp_path_factory.mktemp("demo-media")
    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, CACHES=caches):
        with transaction.atomic():
            call_command("load_demo", verbosity=0)
            yield
            transaction.set_rollback(True)


def test_demo_newsroom_loads_once_and_keeps_editors_changes(demo_newsroom):
    from django.contrib.sites.models import Site

    assert Site.objects.get_current().domain == "127.0.0.1:8000"
    assert Article.objects.published().count() == 30
    from discovery.models import SearchTerm

    assert SearchTerm.objects.filter(word="والكهرباء").exists()  # the vocabulary, at once
    from frontpage.models import Slot

    links = list(
        Slot.objects.exclude(url_ar="").exclude(url_ar=None).values_list("url_ar", flat=True)
    )
    assert links and not any("%" in link for link in links), links  # read as typed
    legacy = Article.objects.get(view_count=7529)
    assert legacy.section.name == "من الأرشيف"
    assert timezone.localtime(legacy.published_at).date() == date(2017, 4, 27)
    assert legacy.source == "الماسة السورية"
    assert [a.name for a in legacy.authors.all()] == ["فريق ماسة"]
    assert Author.objects.get(name_ar="فريق ماسة").is_team
    assert Article.objects.exclude(image_renditions=[]).count() >= 10

    legacy.title_ar = "عنوان عدّله المحرر"
    legacy.save()
    call_command("load_demo", verbosity=0)
    assert Article.objects.count() == 30
    assert Article.objects.get(pk=legacy.pk).title_ar == "عنوان عدّله المحرر"


def test_demo_articles_have_topics_folded_by_spelling(demo_newsroom):
    from articles.models import Topic

    prices = Topic.objects.get(name_key="الاسعار")  # «الأسعار» and «الاسعار» in the content
    assert prices.articles.count() == 2
    assert Topic.objects.filter(articles__isnull=False).distinct().count() >= 15
    # English pages name them in English: «Topic دمشق» was the English topic page's title.
    assert all(Topic.objects.values_list("name_en", flat=True)), "a topic without English"
    assert Topic.objects.get(name_ar="دمشق").name_en == "Damascus"


def test_demo_has_a_story_file_in_order(demo_newsroom):
    from articles.models import StoryFile

    story_file = StoryFile.objects.get()
    assert story_file.entries.count() == 3
    assert story_file.description_en  # the English page showed the Arabic description
    call_command("load_demo", verbosity=0)
    assert StoryFile.objects.get().entries.count() == 3


def test_the_demo_has_one_live_article_with_entries(client, demo_newsroom):
    from live.models import LiveCoverage

    coverage = LiveCoverage.objects.get()
    assert coverage.is_live and coverage.article.is_published()
    entries = list(coverage.entries.visible().for_reading())
    assert len(entries) == 7 and entries[0].is_pinned
    assert any(entry.is_breaking for entry in entries) and any(e.edited_at for e in entries)
    page = client.get(coverage.article.get_absolute_url()).content.decode()
    assert "التحديثات المباشرة" in page and "الدفاع المدني يساعد" in page
    call_command("load_demo", "--force", verbosity=0)
    assert LiveCoverage.objects.get().entries.count() == 7
