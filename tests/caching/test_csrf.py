"""CSRF for forms on cached pages: no token for anonymous readers, an origin check instead."""

import django_comments
import pytest
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.generic import View

from caching import pagecache
from tests.factories import make_article

pytestmark = pytest.mark.django_db

FORM = engines["django"].from_string(
    "{% load pagecache_tags %}<form method='post'>{% page_csrf_token %}</form>"
)


class FormPage(pagecache.CachedPageMixin, View):
    def get(self, request):
        return TemplateResponse(request, FORM, {})

    def page_tags(self, context):
        return {"form"}


def render(request):
    response = FormPage.as_view()(request)
    return response.render() if hasattr(response, "render") else response


def test_a_page_with_a_form_stays_cacheable_for_anonymous_readers(settings):
    settings.NEWSROOM_PAGE_CACHE_SKEW_SECONDS = 0
    factory = RequestFactory()
    first, second = render(factory.get("/ar/f/")), render(factory.get("/ar/f/"))
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")


def test_a_reader_with_a_session_gets_a_real_token_and_no_cache(settings):
    request = RequestFactory().get("/ar/f/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    response = render(request)
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert "private" in response["Cache-Control"]


@pytest.fixture
def comment_data():
    from tests.comments.conftest import form_data

    article = make_article("خبر للتعليق")
    data = form_data(
        article, name="قارئ", email="reader@example.org", comment="تعليق من قارئ بلا جلسة"
    )
    return article, data


def post(client, data, **headers):
    return client.post(reverse("comments:post"), data, **headers)


def test_anonymous_comment_from_our_page_needs_no_token(comment_data):
    article, data = comment_data
    client = Client(enforce_csrf_checks=True)
    response = post(client, data, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302, response.content.decode()[:500]
    assert django_comments.get_model().objects.filter(object_pk=str(article.pk)).exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_REFERER": "https://evil.example/page"},
        {},  # no Origin, no Sec-Fetch-Site, no Referer
    ],
)
def test_anonymous_comment_from_elsewhere_is_refused(comment_data, headers):
    article, data = comment_data
    response = post(Client(enforce_csrf_checks=True), data, **headers)
    assert response.status_code == 403
    assert not django_comments.get_model().objects.filter(object_pk=str(article.pk)).exists()


def test_a_reader_with_a_session_still_needs_the_token(comment_data, admin_user):
    article, data = comment_data
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = post(client, data, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403
    assert not django_comments.get_model().objects.filter(object_pk=str(article.pk)).exists()
