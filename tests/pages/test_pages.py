"""Static pages (issue 16): sanitised body in both languages, the footer's links, the page
cache, the sitemap, versions, and the demo's «من نحن» and «اتصل بنا»."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from pages.models import Page

pytestmark = pytest.mark.django_db


def make_page(title="من نحن", **fields):
    fields.setdefault("body_ar", "<p>نحن موقع إخباري.</p>")
    return Page.objects.create(title_ar=title, **fields)


def test_a_page_in_both_languages_with_a_unicode_slug(client):
    page = make_page(title_en="About us", body_en="<p>We are a news site.</p>")
    assert page.slug == "من-نحن"
    html = client.get(page.get_absolute_url()).content.decode()
    assert "<h1" in html and "نحن موقع إخباري." in html
    with translation.override("en"):
        english = client.get(page.get_absolute_url()).content.decode()
    assert "About us" in english and "We are a news site." in english


def test_the_body_is_sanitised(client):
    page = make_page(
        body_ar='<p onclick="x()">نص</p><script>alert(1)</script><a href="javascript:x">رابط</a>'
    )
    assert "<script" not in page.body_ar and "onclick" not in page.body_ar
    assert "javascript:" not in page.body_ar
    assert "alert(1)" not in client.get(page.get_absolute_url()).content.decode()


def test_unpublished_pages_are_not_found_nor_linked(client):
    hidden = make_page("صفحة مخفية", is_published=False)
    shown = make_page("اتصل بنا")
    assert client.get(hidden.get_absolute_url()).status_code == 404
    home = client.get(reverse("articles:home")).content.decode()
    assert shown.get_absolute_url() in home and hidden.get_absolute_url() not in home


def test_footer_and_page_are_refreshed_when_a_page_changes(
    client, django_capture_on_commit_callbacks
):
    page = make_page("سياسة الخصوصية")
    home = reverse("articles:home")
    for path in (home, page.get_absolute_url()):
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        page.title_ar = "سياسة الخصوصية والبيانات"
        page.save()
    response = client.get(home)
    assert response["X-Page-Cache"] == "miss"
    assert "سياسة الخصوصية والبيانات" in response.content.decode()
    assert "سياسة الخصوصية والبيانات" in client.get(page.get_absolute_url()).content.decode()


def test_pages_are_in_the_sitemap(client):
    from urllib.parse import unquote

    page = make_page()
    body = unquote(client.get("/sitemap-pages.xml").content.decode())
    assert unquote(page.get_absolute_url()) in body


def test_every_change_is_a_version():
    page = make_page()
    page.body_ar = "<p>نص جديد.</p>"
    page.save()
    assert [v.body_ar for v in page.history.order_by("history_date")] == [
        "<p>نحن موقع إخباري.</p>",
        "<p>نص جديد.</p>",
    ]


def test_the_desk_edits_pages(admin_client):
    url = reverse("admin:pages_page_add")
    response = admin_client.post(
        url,
        {"title_ar": "الإعلان معنا", "title_en": "", "slug": "", "body_ar": "<p>نص</p>",
         "body_en": "", "is_published": "on", "show_in_footer": "on", "order": "3"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Page.objects.get().slug == "الإعلان-معنا"


def test_the_demo_has_about_and_contact_pages(client):
    call_command("load_demo", verbosity=0)
    titles = set(Page.objects.values_list("title_ar", flat=True))
    assert {"من نحن", "اتصل بنا"} <= titles
    call_command("load_demo", verbosity=0)
    assert Page.objects.count() == len(titles)
