"""The article page's query compiled once (articles/compiled.py): the same article, relations
and annotations as the ORM's own query, in every language, for every article."""

import pytest
from django.db.models import Exists, OuterRef
from django.utils import translation

from articles import compiled
from articles.models import Article, Correction, Section, StoryFile, StoryFileEntry, Topic
from tests.comments.conftest import publish_comment
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def by_the_orm(pk):
    in_a_file = StoryFileEntry.objects.filter(article=OuterRef("pk"))
    corrected = Correction.objects.filter(article=OuterRef("pk"))
    return (
        Article.objects.for_page()
        .with_recorded_views()
        .annotate(in_a_story_file=Exists(in_a_file), has_corrections=Exists(corrected))
        .get(pk=pk)
        .adopt_page_rows()
    )


def shown(article):
    return {
        "fields": {f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields},
        "section": (article.section.pk, article.section.name),
        "bylines": [(b.position, b.author.pk, b.author.name) for b in article.bylines.all()],
        "topics": [(t.pk, t.name) for t in article.topics.all()],
        "comment_count": article.comment_count,
        "recorded_views": article.recorded_views,
        "in_a_story_file": article.in_a_story_file,
        "has_corrections": article.has_corrections,
    }


def test_the_compiled_query_shows_what_the_orm_shows_for_each_article_and_language():
    section = make_section("اقتصاد", name_en="Economy")
    first = make_article(
        "الخبر الأول", title_en="First", section=section, authors=[make_author(), make_author()]
    )
    second = make_article("الخبر الثاني")
    Correction.objects.create(article=second, text="تصحيح")
    first.topics.add(Topic.objects.create(name_ar="سعر الصرف", name_en="Exchange rate"))
    publish_comment(first)
    publish_comment(first)
    story = StoryFile.objects.create(title_ar="ملف")
    StoryFileEntry.objects.create(story_file=story, article=second, position=1)
    for language in ("ar", "en"):
        with translation.override(language):
            for article in (first, second, first):  # compiled once, run again
                assert shown(Article.objects.page_article(article.pk)) == shown(
                    by_the_orm(article.pk)
                )
    with translation.override("en"):
        assert Article.objects.page_article(first.pk).section.name == "Economy"
        assert Article.objects.page_article(first.pk).title == "First"


def test_a_missing_article_is_does_not_exist():
    with pytest.raises(Article.DoesNotExist):
        Article.objects.page_article(987_654_321)


def test_a_stand_in_that_is_not_among_the_parameters_is_refused():
    with pytest.raises(ValueError):
        compiled.CompiledQuery(Article.objects.filter(pk=1), "default", {"pk": compiled.STAND_IN})


def test_related_links_compiled_are_the_orm_query_s_for_every_shape():
    """Each shape of the related query (title words or none, 0-2 topics) compiled once and
    run again gives the same links in the same order as the ORM's query built each time."""
    from articles.related import _related_compiled, related_articles

    first, second = Topic.for_name("الانتخابات"), Topic.for_name("سعر الصرف")
    home, elsewhere = make_section("محليات"), make_section("عربي ودولي")
    titles = (
        "صناديق الاقتراع تفتح صباحاً في المدن",
        "نتائج أولية للاقتراع في المدن",
        "سعر الصرف يرتفع صباحاً",
        "اقتراع",
        "خبر محلي عادي",
        "المدن تنتظر نتائج الاقتراع",
    )
    articles = []
    for n, title in enumerate(titles):
        article = make_article(title, section=home if n % 2 else elsewhere)
        article.topics.add(*[first, second][: n % 3])
        articles.append(article)
    for language in ("ar", "en", "ar"):
        with translation.override(language):
            for article in articles * 2:  # compiled, then run again
                page_article = Article.objects.page_article(article.pk)
                expected = [(a.pk, a.title, a.section.name) for a in related_articles(page_article)]
                found = [
                    (a.pk, a.title, a.section.name) for a in _related_compiled(page_article, 4)
                ]
                assert found == expected
                assert found, "every article here has related links"


def test_an_article_s_corrections_compiled_are_its_own_newest_first():

    article, other = make_article("خبر مصحح"), make_article("خبر آخر")
    older = Correction.objects.create(article=article, text="تصحيح أول")
    newer = Correction.objects.create(article=article, text="تصحيح ثان")
    Correction.objects.create(article=other, text="تصحيح خبر آخر")
    for _ in range(2):
        assert [c.pk for c in article.page_corrections()] == [newer.pk, older.pk]
        assert [c.pk for c in article.page_corrections()] == [
            c.pk for c in article.corrections.all()
        ]
    assert make_article("خبر بلا تصحيح").page_corrections() == []


def test_the_page_asks_for_corrections_only_when_its_article_has_some(
    django_assert_num_queries,
):

    plain, corrected = make_article("خبر بلا تصحيح"), make_article("خبر مصحح")
    correction = Correction.objects.create(article=corrected, text="تصحيح")
    page = Article.objects.page_article(plain.pk)
    assert page.has_corrections is False
    with django_assert_num_queries(0):
        assert page.page_corrections() == []
    page = Article.objects.page_article(corrected.pk)
    assert page.has_corrections is True
    with django_assert_num_queries(1):
        assert [c.pk for c in page.page_corrections()] == [correction.pk]


def test_a_changed_setting_makes_this_thread_compile_again(settings):
    article = make_article("خبر")
    assert Article.objects.page_article(article.pk).pk == article.pk
    assert compiled._kept.queries, "the page's query is kept compiled"
    settings.NEWSROOM_COMMENTS_ORDER = "oldest"
    assert compiled._kept.queries == {}
    assert Article.objects.page_article(article.pk).pk == article.pk


def test_a_list_page_finds_its_owner_with_sql_compiled_once(client):
    """Sections, authors and topics: the owner's lookup (once per request) is compiled once
    per thread and language, finds each owner by its slug with its translated name, and an
    unknown slug is a 404."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    economy = make_section("اقتصاد", name_en="Economy")
    sport = make_section("رياضة", name_en="Sport")
    author = make_author("ريم الحسن", name_en="Reem Alhasan")
    topic = Topic.objects.create(name_ar="سعر الصرف", name_en="Exchange rate")
    make_article("خبر", section=economy, authors=[author]).topics.add(topic)
    compiled._forget_compiled()
    for owner, arabic, english in (
        (economy, "اقتصاد", "Economy"),
        (sport, "رياضة", "Sport"),
        (author, "ريم الحسن", "Reem Alhasan"),
        (topic, "سعر الصرف", "Exchange rate"),
    ):
        for language, name in (("ar", arabic), ("en", english)):
            with translation.override(language):
                with CaptureQueriesContext(connection) as sent:
                    response = client.get(owner.get_absolute_url())
            assert response.status_code == 200
            assert name in response.content.decode()
            assert any(f"'{owner.slug}'" in query["sql"] for query in sent)
    owners = [key for key in compiled._kept.queries if key[0] == "list-owner"]
    assert sorted(key[1] for key in owners) == sorted(
        (label, language)
        for label in ("articles.Section", "articles.Author", "articles.Topic")
        for language in ("ar", "en")
    )
    assert client.get("/ar/section/no-such-section/").status_code == 404
    assert client.get("/ar/author/no-such-author/").status_code == 404


def test_the_shared_parts_compiled_once_list_what_the_orm_lists(settings):
    """The sections menu (its order follows the page's language), the footer's pages, the
    «عاجل» ticker's window and "most read"'s section: compiled once per thread, run again
    with each request's values, the same rows as the ORM's own queries."""
    from datetime import timedelta

    from articles.templatetags.articles_tags import section_nav
    from desk.cache import ticker_articles
    from pages.models import Page

    settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = False  # each call renders: nothing kept
    make_section("ياء", name_en="Alpha", in_navigation=True, order=1)
    make_section("ألف", name_en="Zulu", in_navigation=True, order=1)
    make_section("مخفي", name_en="Hidden", in_navigation=False, order=1)
    for language in ("ar", "en", "ar"):
        with translation.override(language):
            menu = section_nav()
            names = [s.name for s in Section.objects.filter(in_navigation=True)]
            assert [name for name in names if name in menu] == names
            assert sorted(names, key=menu.index) == names, (language, names)
            assert "Hidden" not in menu and "مخفي" not in menu
    Page.objects.create(title_ar="من نحن", slug="about", show_in_footer=True)
    Page.objects.create(title_ar="مسودة", slug="draft", is_published=False)
    from pages.templatetags.pages_tags import footer_pages

    assert "من نحن" in footer_pages() and "مسودة" not in footer_pages()

    settings.NEWSROOM_BREAKING_HOURS = 6
    inside = make_article("عاجل الآن", is_breaking=True, ago=timedelta(hours=1))
    make_article("عاجل قديم", is_breaking=True, ago=timedelta(hours=7))
    make_article("ليس عاجلًا", ago=timedelta(minutes=5))
    later = make_article("عاجل مجدول", is_breaking=True, ago=-timedelta(hours=1))
    for _ in range(2):  # compiled once, run again
        live, next_change = ticker_articles()
        assert [a.pk for a in live] == [inside.pk]
        assert next_change == later.published_at.timestamp()
