"""An object's old slug answers 301 to where it is now, in both languages and through renames;
a slug taken by another object leads to the new owner."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import StoryFile, Topic
from pages.models import Page
from redirects.models import SlugHistory
from tests.articles.desk_helpers import make_staff, post_article
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def rename(obj, slug):
    obj.slug = slug
    obj.save()
    return obj


def test_renamed_article_answers_301_in_both_languages(client):
    article = make_article("خبر أول", slug="old-slug")
    rename(article, "new-slug")
    for language in ("ar", "en"):
        response = client.get(f"/{language}/news/old-slug/")
        assert response.status_code == 301
        assert response["Location"] == f"/{language}/news/new-slug/"
        # Browsers ask again (the slug may change hands again); nginx keeps it a second.
        assert "max-age=0" in response["Cache-Control"]
        assert "s-maxage=" in response["Cache-Control"]


def test_arabic_slug_percent_encoded(client):
    article = make_article("خبر", slug="خبر-قديم")
    rename(article, "خبر-جديد")
    response = client.get("/ar/news/" + quote("خبر-قديم") + "/")
    assert response.status_code == 301
    assert response["Location"] == "/ar/news/" + quote("خبر-جديد") + "/"


def test_chain_collapses(client):
    article = make_article(slug="a-slug")
    rename(article, "b-slug")
    rename(article, "c-slug")
    for old in ("a-slug", "b-slug"):
        response = client.get(f"/ar/news/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/ar/news/c-slug/")


def test_taking_back_an_old_slug_makes_it_live_again(client):
    article = make_article(slug="first")
    rename(article, "second")
    rename(article, "first")
    assert client.get("/ar/news/first/").status_code == 200
    response = client.get("/ar/news/second/")
    assert (response.status_code, response["Location"]) == (301, "/ar/news/first/")
    assert not SlugHistory.objects.filter(old_slug="first").exists()


def test_slug_given_up_and_taken_by_another_goes_to_the_new_owner(client):
    first = make_article("الأول", slug="shared")
    rename(first, "first-now")
    assert client.get("/ar/news/shared/")["Location"] == "/ar/news/first-now/"
    second = make_article("الثاني", slug="other")
    rename(second, "shared")
    assert client.get("/ar/news/shared/").context["article"] == second
    # and second's own old slug leads to it
    assert client.get("/ar/news/other/")["Location"] == "/ar/news/shared/"


@pytest.mark.parametrize(
    ("make", "prefix"),
    [
        (lambda: make_section("قسم", slug="sec-old"), "section"),
        (lambda: make_author("كاتب", slug="sec-old"), "author"),
        (lambda: Topic.objects.create(name_ar="موضوع", slug="sec-old"), "topic"),
        (lambda: StoryFile.objects.create(title_ar="ملف", slug="sec-old"), "file"),
        (
            lambda: Page.objects.create(
                title_ar="من نحن", slug="sec-old", body_ar="<p>نص</p>", is_published=True
            ),
            "page",
        ),
    ],
)
def test_every_kind_with_an_address(client, make, prefix):
    obj = make()
    if prefix in ("section", "author", "topic", "file"):
        make_article(section=obj if prefix == "section" else None)
    rename(obj, "sec-new")
    response = client.get(f"/ar/{prefix}/sec-old/")
    assert response.status_code == 301
    assert response["Location"] == f"/ar/{prefix}/sec-new/"


def test_feeds_follow_too(client):
    section = make_section(slug="feed-old")
    rename(section, "feed-new")
    response = client.get("/ar/section/feed-old/feed/")
    assert (response.status_code, response["Location"]) == (301, "/ar/section/feed-new/feed/")


def test_the_same_page_of_a_renamed_section_with_its_query(client):
    """«?page=2» of the old address led to page 1 of the new one, and a shared link lost its
    utm_… parameters."""
    section = make_section(slug="culture-old")
    rename(section, "culture-new")
    response = client.get("/ar/section/culture-old/", {"page": "2", "utm_source": "telegram"})
    assert response.status_code == 301
    assert response["Location"] == "/ar/section/culture-new/?page=2&utm_source=telegram"


def test_a_deleted_object_is_gone_not_missing(client):
    article = make_article(slug="gone-old")
    rename(article, "gone-new")
    article.delete()
    for path in ("/ar/news/gone-old/", "/ar/news/gone-new/", "/en/news/gone-new/"):
        assert client.get(path).status_code == 410, path
    taken = make_article(slug="gone-new")  # the slug taken again: the new owner's page
    assert client.get("/ar/news/gone-new/").context["article"] == taken
    assert set(SlugHistory.objects.values_list("old_slug", flat=True)) == {"gone-old"}


def test_a_miss_is_one_lookup(client, django_assert_max_num_queries):
    make_article(slug="x")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ar/news/no-such-article/").status_code == 404
    lookups = [q for q in queries.captured_queries if "redirects_" in q["sql"]]
    assert len(lookups) == 1
    assert "archive_legacypath" in lookups[0]["sql"]  # the archive's paths in the same query


def test_existing_pages_cost_no_lookup(client):
    article = make_article()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    assert not any("redirects_" in q["sql"] for q in queries.captured_queries)


def test_renamed_article_served_fresh_after_its_page_was_cached(client):
    article = make_article("قبل", slug="cached-old")
    assert client.get("/ar/news/cached-old/").status_code == 200
    assert client.get("/ar/news/cached-old/").status_code == 200  # from the page cache
    article.title_ar = "بعد"
    rename(article, "cached-new")
    response = client.get("/ar/news/cached-old/")
    assert (response.status_code, response["Location"]) == (301, "/ar/news/cached-new/")
    assert "بعد" in client.get("/ar/news/cached-new/").content.decode()


def test_desk_is_told_when_a_slug_changes_hands(client):
    first = make_article("الأول", slug="wanted")
    rename(first, "first-moved")
    second = make_article("الثاني", slug="second")
    client.force_login(make_staff("المحررون"))
    response = post_article(client, {"slug": "wanted"}, article=second)
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    page = client.get(response["Location"])
    texts = [str(message) for message in page.context["messages"]]
    assert any("wanted" in text and "الأول" in text for text in texts), texts
    assert client.get("/ar/news/first-moved/").context["article"] == first
    assert client.get("/ar/news/wanted/").context["article"] == second
