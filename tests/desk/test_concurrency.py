"""No lost edits: a form saved after someone else saved the article is refused, in Arabic,
naming who and when, with everything typed kept; never a silent overwrite, never a 500."""

import pytest
from django.contrib.admin.models import LogEntry

from articles.models import Article
from desk.models import EditLock
from tests.articles.desk_helpers import article_admin_url, form_data, open_form, save

pytestmark = pytest.mark.django_db


def page_text(response):
    return response.content.decode()


def test_the_form_carries_the_version_it_was_opened_at(desk):
    article = desk["article"]
    data = open_form(desk["a"], article)
    assert data["desk_version"] == article.updated_at.isoformat()


def test_a_stale_save_is_refused_naming_who_and_when_and_keeping_every_field(desk):
    article = desk["article"]
    stale = open_form(desk["a"], article)
    EditLock.objects.all().delete()  # the first editor's tab went quiet: no lock in the way
    fresh = open_form(desk["b"], article)
    response = save(desk["b"], article, fresh, title_ar="عنوان عمر")
    assert response.status_code == 302

    response = save(desk["a"], article, stale, title_ar="عنوان سلمى", lead_ar="مقدمة كتبتها سلمى")
    assert response.status_code == 200  # the form again, not a 500 and not a redirect
    text = page_text(response)
    assert "حفظ عمر الخطيب هذا المقال في" in text
    assert "لم تُحفظ تعديلاتك، ولم يضع شيء مما كتبته" in text
    assert 'value="عنوان سلمى"' in text  # what she typed is still in the form
    assert "مقدمة كتبتها سلمى" in text
    assert "احفظ نسختي على أي حال" in text
    assert "compare/?a=" in text  # the two versions, side by side
    article.refresh_from_db()
    assert article.title_ar == "عنوان عمر"  # nothing overwritten


def test_the_refusal_holds_on_every_resubmission_until_overwrite_is_ticked(desk, editor_a):
    article = desk["article"]
    stale = open_form(desk["a"], article)
    EditLock.objects.all().delete()
    save(desk["b"], article, open_form(desk["b"], article), title_ar="عنوان عمر")
    EditLock.objects.all().delete()

    again = save(desk["a"], article, stale, title_ar="عنوان سلمى")
    again_data = form_data(page_text(again))
    assert again_data["desk_version"] == stale["desk_version"]  # still the version she saw
    assert save(desk["a"], article, again_data).status_code == 200  # refused again

    response = save(desk["a"], article, again_data, desk_overwrite="on")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_ar == "عنوان سلمى"
    history = [
        entry.get_change_message()
        for entry in LogEntry.objects.filter(user=editor_a, object_id=str(article.pk))
    ]
    assert any("حُفظ فوق نسخة أحدث" in message for message in history), history
    assert not any("desk_version" in message for message in history), history


def test_saving_twice_from_fresh_forms_is_never_refused(desk):
    article = desk["article"]
    first = save(desk["a"], article, open_form(desk["a"], article), title_ar="أول", _continue="1")
    assert first.status_code == 302
    second = save(desk["a"], article, open_form(desk["a"], article), title_ar="ثان")
    assert second.status_code == 302
    article.refresh_from_db()
    assert article.title_ar == "ثان"


@pytest.mark.parametrize(
    "token", ["", "not-a-date", "2020-13-45T00:00:00", "2020-01-01T00:00:00+00:00"]
)
def test_a_missing_or_forged_version_is_refused_cleanly(desk, token):
    article = desk["article"]
    data = open_form(desk["a"], article)
    response = save(desk["a"], article, data, desk_version=token, title_ar="عنوان جديد")
    assert response.status_code == 200
    assert "لم تُحفظ تعديلاتك" in page_text(response)
    assert Article.objects.get(pk=article.pk).title_ar != "عنوان جديد"


def test_a_save_while_another_editor_holds_the_lock_is_refused(desk):
    article = desk["article"]
    open_form(desk["a"], article)  # she has it open: her lock
    data = open_form(desk["b"], article)
    response = save(desk["b"], article, data, title_ar="عنوان عمر")
    assert response.status_code == 200
    text = page_text(response)
    assert "يحرّر سلمى الحسن هذا المقال الآن" in text
    assert "يحرّره الآن سلمى الحسن، منذ" in text  # the box: not "the other version: saved"
    assert "النسخة الأخرى: حفظها" not in text
    assert 'value="عنوان عمر"' in text
    assert Article.objects.get(pk=article.pk).title_ar == "خبر أول على المكتب"


def test_taking_over_from_a_refused_save_keeps_and_saves_what_was_typed(desk, editor_b):
    """The refused save said «take over editing to save»; its button took over by a form of
    its own, and the page that came back had the saved text: what he typed was gone."""
    article = desk["article"]
    open_form(desk["a"], article)  # she has it open: her lock
    data = open_form(desk["b"], article)
    refused = page_text(save(desk["b"], article, data, title_ar="عنوان عمر", lead_ar="مقدمة عمر"))
    button = 'form="article_form" name="_takeover"'
    assert button in refused and "تولَّ التحرير واحفظ ما كتبته" in refused
    sent = form_data(refused, "article_form")
    response = desk["b"].post(article_admin_url("change", article.pk), {**sent, "_takeover": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(article_admin_url("change", article.pk))  # stays
    article.refresh_from_db()
    assert (article.title_ar, article.lead_ar) == ("عنوان عمر", "مقدمة عمر")
    assert EditLock.objects.get(article=article).user == editor_b
    entries = LogEntry.objects.filter(user=editor_b, object_id=str(article.pk))
    logged = [entry.get_change_message() for entry in entries]
    assert any("تولّى التحرير بدلاً من سلمى الحسن" in message for message in logged), logged


def test_the_first_editor_is_told_on_save_after_a_take_over(desk):
    article = desk["article"]
    stale = open_form(desk["a"], article)
    data = open_form(desk["b"], article)
    assert desk["b"].post(article_admin_url("desk_takeover", article.pk)).status_code == 302
    # he saves and stays on the form ("save and continue"): the lock stays his
    assert save(desk["b"], article, data, title_ar="عنوان عمر", _continue="1").status_code == 302

    response = save(desk["a"], article, stale, title_ar="عنوان سلمى")
    text = page_text(response)
    assert "حفظ عمر الخطيب هذا المقال في" in text
    assert "تولّى عمر الخطيب تحرير هذا المقال في" in text
    assert 'value="عنوان سلمى"' in text
