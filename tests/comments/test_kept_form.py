"""The blank comment form is kept once per language and signed per article and request:
what two pages show posts to the right article, and the form is otherwise the same."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import ReaderComment
from comments.templatetags.comments_tags import SIGNED_FIELDS, SIGNED_SLOT
from tests.factories import make_article

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
SIGNED = re.compile(r'name="(?:{})" value="[^"]*"'.format("|".join(SIGNED_FIELDS)))


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = True
    settings.NEWSROOM_COMMENTS_MIN_SECONDS = 0


def shown_form(page: str) -> str:
    start = page.index('id="comment-form"')
    return page[start : page.index("</form>", start)]


@pytest.mark.parametrize("fragments_kept", [True, False])
def test_each_article_gets_its_own_signed_fields_in_the_kept_form(settings, fragments_kept):
    """Kept per process and language whether fragments are kept or not (the cold render)."""
    settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = fragments_kept
    first, second = make_article("الخبر الأول"), make_article("الخبر الثاني")
    forms = {}
    for article in (first, second):
        forms[article.pk] = shown_form(Client().get(article.get_absolute_url()).content.decode())
        fields = dict(HIDDEN.findall(forms[article.pk]))
        assert fields["object_pk"] == str(article.pk)
        assert fields["content_type"] == "articles.article"
        assert not any(SIGNED_SLOT.format(name) in forms[article.pk] for name in SIGNED_FIELDS)
    assert SIGNED.sub("", forms[first.pk]) == SIGNED.sub("", forms[second.pk])


def test_the_form_a_page_shows_posts_to_its_article(client):
    article = make_article("خبر للتعليق")
    other = make_article("خبر بجانبه")
    client.get(other.get_absolute_url())  # the kept form now exists
    page = client.get(article.get_absolute_url()).content.decode()
    data = dict(HIDDEN.findall(shown_form(page)))
    data.update(name="سلمى", email="salma@example.com", comment="تعليق من الصفحة نفسها")
    response = client.post(reverse("comments:post"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    comment = ReaderComment.objects.get(comment="تعليق من الصفحة نفسها")
    assert comment.object_pk == str(article.pk)


def test_a_tampered_target_is_refused(client):
    article, other = make_article("خبر للتعليق"), make_article("خبر بجانبه")
    page = client.get(article.get_absolute_url()).content.decode()
    data = dict(HIDDEN.findall(shown_form(page)))
    data.update(name="سلمى", email="salma@example.com", comment="تعليق على خبر آخر")
    data["object_pk"] = str(other.pk)
    client.post(reverse("comments:post"), data)
    assert not ReaderComment.objects.filter(comment="تعليق على خبر آخر").exists()


def test_a_changed_setting_makes_the_kept_form_again(settings):
    """The form kept per process is made of settings too (the comment URL's urlconf, the
    languages, a test's override): any change of one drops it, the next page renders it."""
    from comments.templatetags import comments_tags

    article = make_article("خبر للتعليق")
    Client().get(article.get_absolute_url())
    assert comments_tags._blank_forms, "the page kept its blank form"
    settings.COMMENT_MAX_LENGTH = 1200
    assert not comments_tags._blank_forms
    page = Client().get(make_article("خبر آخر").get_absolute_url()).content.decode()
    assert 'name="security_hash"' in shown_form(page) and comments_tags._blank_forms
