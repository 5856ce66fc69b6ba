"""An address readers once had and no longer do answers 410 Gone, not 404: an article taken
down (unpublished, in the desk or by a bulk action) or a static page unpublished, until it is
public again or a redirect the desk sets sends its readers elsewhere."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponseNotFound
from django.test import Client, RequestFactory

from articles.models import Article
from pages.models import Page
from redirects.middleware import OldAddressMiddleware
from redirects.models import Redirect, SlugHistory
from tests.articles.desk_helpers import article_admin_url, make_staff, post_article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def unpublish(article):
    article.status = Article.Status.UNPUBLISHED
    article.save()
    return article


def republish(article):
    article.status = Article.Status.PUBLISHED
    article.save()
    return article


def test_unpublished_article_answers_410_in_both_languages(client):
    article = make_article(slug="taken-down")
    assert client.get("/ar/news/taken-down/").status_code == 200  # and kept in the page cache
    unpublish(article)
    for language in ("ar", "en"):
        response = client.get(f"/{language}/news/taken-down/")
        assert response.status_code == 410, language
        assert "max-age=0" in response["Cache-Control"]
        assert "s-maxage=" in response["Cache-Control"]
    assert "أُزيلت نهائيًا" in client.get("/ar/news/taken-down/").content.decode()
    # its feed-less address family: an article's slug only has its page
    assert client.get("/ar/news/never-was/").status_code == 404


def test_back_to_draft_or_review_stays_gone(client):
    article = unpublish(make_article(slug="down-then-draft"))
    for status in (Article.Status.DRAFT, Article.Status.REVIEW):
        article.status = status
        article.save()
        assert client.get("/ar/news/down-then-draft/").status_code == 410, status


def test_republished_article_answers_200_again(client):
    article = unpublish(make_article(slug="back-again"))
    assert client.get("/ar/news/back-again/").status_code == 410
    republish(article)
    assert client.get("/ar/news/back-again/").status_code == 200
    assert client.get("/en/news/back-again/").status_code == 200
    assert not SlugHistory.objects.filter(object_id=article.pk).exists()


def test_a_draft_never_published_is_still_not_found(client):
    article = make_article(slug="only-a-draft", published=False)
    article.title_ar = "عنوان آخر"
    article.save()
    assert client.get("/ar/news/only-a-draft/").status_code == 404
    article.slug = "still-a-draft"
    article.save()
    assert client.get("/ar/news/still-a-draft/").status_code == 404


def test_a_desk_redirect_wins(client):
    unpublish(make_article(slug="sent-elsewhere"))
    Redirect.objects.create(old_path="/ar/news/sent-elsewhere", url="/ar/")
    response = client.get("/ar/news/sent-elsewhere/")
    assert (response.status_code, response["Location"]) == (301, "/ar/")
    assert client.get("/en/news/sent-elsewhere/").status_code == 410  # not redirected


def test_renamed_while_unpublished_keeps_both_addresses_gone(client):
    article = unpublish(make_article(slug="gone-first"))
    article.slug = "gone-second"
    article.save()
    assert client.get("/ar/news/gone-second/").status_code == 410
    response = client.get("/ar/news/gone-first/")
    assert (response.status_code, response["Location"]) == (301, "/ar/news/gone-second/")
    republish(article)
    assert client.get("/ar/news/gone-second/").status_code == 200
    assert client.get("/ar/news/gone-first/")["Location"] == "/ar/news/gone-second/"


def test_unpublished_then_deleted_is_still_gone(client):
    article = unpublish(make_article(slug="gone-deleted"))
    article.delete()
    assert client.get("/ar/news/gone-deleted/").status_code == 410
    taken = make_article(slug="gone-deleted")
    assert client.get("/ar/news/gone-deleted/").context["article"] == taken


def test_unpublished_static_page_answers_410_then_200(client):
    page = Page.objects.create(
        title_ar="من نحن", slug="about-gone", body_ar="<p>نص</p>", is_published=True
    )
    assert client.get("/ar/page/about-gone/").status_code == 200
    page.is_published = False
    page.save()
    assert client.get("/ar/page/about-gone/").status_code == 410
    assert client.get("/en/page/about-gone/").status_code == 410
    page.is_published = True
    page.save()
    assert client.get("/ar/page/about-gone/").status_code == 200


def test_a_gone_address_is_one_lookup(django_assert_num_queries):
    unpublish(make_article(slug="gone-lookup"))
    middleware = OldAddressMiddleware(lambda request: HttpResponseNotFound())
    for path, status in (("/ar/news/gone-lookup/", 410), ("/ar/news/no-such/", 404)):
        with django_assert_num_queries(1):
            assert middleware(RequestFactory().get(path)).status_code == status


def message_texts(page):
    return [str(message) for message in page.context["messages"]]


def test_desk_says_the_address_is_gone_and_links_the_redirect_manager(client):
    article = make_article("خبر سيُسحب", slug="desk-down")
    client.force_login(make_staff("المحررون"))
    response = post_article(client, {"status": "unpublished"}, article=article)
    assert response.status_code == 302
    page = client.get(response["Location"])
    content = page.content.decode()
    texts = [text for text in message_texts(page) if "410 — أزيل" in text]
    assert len(texts) == 1, message_texts(page)
    assert "/ar/news/desk-down/" in texts[0] and "خبر سيُسحب" in texts[0]
    assert "لم يعد منشورًا" in texts[0] and "وجّه قرّاءه" in texts[0]  # in Arabic
    link = re.search(r'<a href="([^"]*redirects/redirect/add/\?old_path=[^"]*)"', content)
    assert link, content
    url = html.unescape(link.group(1))
    assert parse_qs(urlsplit(url).query)["old_path"] == ["/ar/news/desk-down/"]
    assert Client().get("/ar/news/desk-down/").status_code == 410  # a reader (staff preview)
    # The editor follows the link (as a superuser may; the role's permissions aside).
    client.force_login(User.objects.create_superuser("chief", "c@example.com", "pw-1234567890"))
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="/ar/news/desk-down/"' in form.content.decode()
    saved = client.post(url, {"old_path": "/ar/news/desk-down/", "url": "/ar/", "status": 301})
    assert saved.status_code == 302
    assert Client().get("/ar/news/desk-down/")["Location"] == "/ar/"


def test_bulk_unpublish_tells_the_desk_for_each_article(client):
    articles = [make_article(slug=f"bulk-down-{n}") for n in range(2)]
    client.force_login(make_staff("المحررون"))
    response = client.post(
        article_admin_url("changelist"),
        {"action": "unpublish_selected", "_selected_action": [a.pk for a in articles]},
    )
    assert response.status_code == 302
    texts = [t for t in message_texts(client.get(response["Location"])) if "410 — أزيل" in t]
    assert len(texts) == 2
    for n in range(2):
        assert Client().get(f"/ar/news/bulk-down-{n}/").status_code == 410


def test_an_unchanged_save_tells_nothing(client):
    article = unpublish(make_article(slug="quiet-down"))
    client.force_login(make_staff("المحررون"))
    response = post_article(client, {"title_ar": "عنوان جديد"}, article=article)
    assert response.status_code == 302
    assert not [t for t in message_texts(client.get(response["Location"])) if "410" in t]


def test_an_arabic_address_is_named_as_an_editor_reads_it(client):
    article = make_article("خبر عربي العنوان", slug="سوق-الحميدية")
    client.force_login(make_staff("المحررون"))
    response = post_article(client, {"status": "unpublished"}, article=article)
    page = client.get(response["Location"])
    texts = [text for text in message_texts(page) if "410 — أزيل" in text]
    assert "/ar/news/سوق-الحميدية/" in texts[0] and "%D8" not in texts[0].split("<a")[0]
