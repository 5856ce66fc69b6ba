"""No stored text keeps a control character or a bidi override, whichever app, form or
command saves it (articles/text.py ``neutralise_text_fields``); editors keep the marks and
isolates that set mixed Arabic and English right."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation

from articles.models import Article
from tests.articles.desk_helpers import form_data, make_staff
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

SPOOF = "ملف \u202egnp.exe\u202c"  # shown as «exe.png» with the override kept
MIXED = "المصدر: \u2066Reuters\u2069\u200f"  # an isolate and a mark: kept


def test_an_article_saved_loses_controls_and_overrides_and_keeps_marks():
    article = make_article("عنوان\x07 فيه\x1b جرس" + "\ufeff")
    article.lead_ar, article.source = SPOOF, MIXED
    article.save()
    article.refresh_from_db()
    assert article.title_ar == "عنوان فيه جرس"
    assert article.lead_ar == "ملف gnp.exe"
    assert article.source == MIXED
    assert Article.objects.filter(body_ar__contains="\x07").count() == 0


def test_every_app_and_third_party_model_is_covered():
    group = Group.objects.create(name="مجموعة\u202e ab\x08")
    group.refresh_from_db()
    assert group.name == "مجموعة ab"


def test_the_desk_form_stores_the_title_neutralised():
    editor = make_staff("المحررون", username="editor")
    section = make_section("سياسة")
    article = make_article("خبر", section=section)
    client = Client()
    client.force_login(editor)
    with translation.override("ar"):
        path = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client.get(path).content.decode(), "article_form")
    data["title_ar"] = "تحديث\x07 " + SPOOF
    response = client.post(path, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.title_ar == "تحديث ملف gnp.exe"


def test_rows_written_by_copy_are_neutralised_too():
    """The archive import and the generated newsrooms write by COPY (articles/bulk.py), which
    sends no pre_save: the same characters are left out there."""
    from articles.bulk import copy_rows

    copy_rows(Group, [{"name": "مجموعة\x07 منسوخة\u202e"}])
    assert Group.objects.filter(name="مجموعة منسوخة").exists()


def test_text_stored_before_is_cleaned_by_the_command():
    """Rows written before saving refused them (here past ``save()``): the command cleans
    them in place, counts them with --dry-run, and a second run finds nothing."""
    from io import StringIO

    from django.core.management import call_command

    article = make_article("خبر قديم")
    Article.objects.filter(pk=article.pk).update(title_ar="خبر\x07 قديم\u202e", source=MIXED)
    dry = StringIO()
    call_command("neutralise_stored_text", "--dry-run", stdout=dry)
    assert "articles.Article.title_ar: 1" in dry.getvalue()
    article.refresh_from_db()
    assert article.title_ar == "خبر\x07 قديم\u202e"  # a dry run changes nothing
    call_command("neutralise_stored_text", stdout=StringIO())
    article.refresh_from_db()
    assert article.title_ar == "خبر قديم" and article.source == MIXED  # marks kept
    again = StringIO()
    call_command("neutralise_stored_text", stdout=again)
    assert again.getvalue().strip().endswith("0 values cleaned.")
