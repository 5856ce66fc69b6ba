"""Every input accepts Western and Arabic-Indic digits alike."""

import datetime

import pytest
from django import forms
from django.utils import timezone

from tests.factories import make_article, make_section


@pytest.mark.parametrize("value", ["7529", "٧٥٢٩", "۷۵۲۹"])
def test_integer_fields_accept_both_digit_styles(value):
    assert forms.IntegerField().clean(value) == 7529


def test_date_time_fields_accept_arabic_indic_digits():
    field = forms.DateTimeField()
    cleaned = field.clean("٢٠١٧-٠٤-٢٧ ١٠:٣٠")
    expected = datetime.datetime(2017, 4, 27, 10, 30)
    assert timezone.localtime(cleaned).replace(tzinfo=None) == expected


@pytest.mark.django_db
def test_page_number_in_arabic_indic_digits(client):
    section = make_section("اقتصاد")
    for n in range(14):
        make_article(f"خبر {n}", section=section)
    response = client.get(section.get_absolute_url() + "?page=٢")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2


@pytest.mark.django_db
def test_server_error_page_is_arabic(client, monkeypatch):
    from articles.views import ArticleDetailView

    article = make_article("خبر يتعطل")

    def broken(self, queryset=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(ArticleDetailView, "get_object", broken)
    client.raise_request_exception = False
    response = client.get(article.get_absolute_url())
    assert response.status_code == 500
    content = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert "خطأ في الخادم" in content
