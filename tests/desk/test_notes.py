"""Internal notes (the desk's only, never public) and assignments with "my articles" and
"waiting for me"."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from desk.models import Assignment, Note
from tests.articles.desk_helpers import article_admin_url, form_data
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SECRET = "ملاحظة داخلية سرية: المصدر طلب عدم ذكر اسمه"


def test_an_editor_adds_a_note_with_author_and_time_from_the_form(desk, editor_a):
    article = desk["article"]
    url = article_admin_url("change", article.pk)
    data = form_data(desk["a"].get(url).content.decode())
    data.update({"desk_notes-0-text": SECRET})
    response = desk["a"].post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    note = Note.objects.get(article=article)
    assert (note.text, note.author) == (SECRET, editor_a)
    form = desk["b"].get(url).content.decode()
    assert SECRET in form
    assert "سلمى" in form or "salma" in form
    # Notes are appended, never rewritten: the saved one is not an input any more.
    assert (
        'name="desk_notes-0-text"' not in form
        or SECRET not in form.split('name="desk_notes-0-text"')[1][:200]
    )


def test_notes_are_never_public(desk, editor_a):
    article = desk["article"]
    Note.objects.create(article=article, author=editor_a, text=SECRET)
    reader = Client()
    with translation.override("ar"):
        addresses = [
            article.get_absolute_url(),  # the page, its JSON-LD and OpenGraph
            reverse("articles:home"),
            article.section.get_absolute_url(),
            reverse("discovery:feed"),
            reverse("discovery:feed_atom"),
            reverse("discovery:search") + "?q=" + "المصدر",
            reverse("discovery:search") + "?q=" + "خبر",
        ]
    addresses += ["/sitemap.xml", "/news-sitemap.xml"]
    # the content API: the article, the list, search
    addresses += [
        f"/api/v1/articles/{article.pk}/",
        "/api/v1/articles/",
        "/api/v1/search/?q=" + "المصدر",
        "/api/v1/search/?q=" + "خبر",
    ]
    for address in addresses:
        response = reader.get(address, follow=True)
        assert response.status_code == 200, address
        assert "سرية" not in response.content.decode(), address
    answer = reader.post(f"/api/views/{article.pk}/", HTTP_SEC_FETCH_SITE="same-origin")
    assert "سرية" not in answer.content.decode()
    assert not Article.objects.search_title("سرية").exists()


def assign(article, **people):
    return Assignment.objects.create(article=article, **people)


def test_assignments_show_on_the_list_and_filter_my_articles_and_waiting_for_me(
    desk, editor_a, editor_b
):
    due = timezone.now() + timedelta(hours=3)
    draft = make_article("مسودة سلمى", published=False)
    assign(draft, writer=editor_a, editor=editor_b, due_at=due)
    review = make_article("بانتظار عمر", published=False)
    Article.objects.filter(pk=review.pk).update(status=Article.Status.REVIEW)
    assign(review, writer=editor_a, editor=editor_b)
    others = make_article("خبر لا يخصهما")
    listing = desk["a"].get(article_admin_url("changelist")).content.decode()
    assert "الكاتب: سلمى الحسن" in listing
    assert "المحرّر: عمر الخطيب" in listing
    assert "مقالاتي" in listing and "بانتظاري" in listing

    def titles(client, which):
        page = client.get(article_admin_url("changelist") + f"?desk={which}").content.decode()
        return {title for title in ("مسودة سلمى", "بانتظار عمر", others.title_ar) if title in page}

    assert titles(desk["a"], "mine") == {"مسودة سلمى", "بانتظار عمر"}
    assert titles(desk["a"], "waiting") == {"مسودة سلمى"}  # her draft to write
    assert titles(desk["b"], "waiting") == {"بانتظار عمر"}  # his article in review


def test_an_assignment_is_made_on_the_form(desk, editor_b):
    article = desk["article"]
    url = article_admin_url("change", article.pk)
    data = form_data(desk["a"].get(url).content.decode())
    due = timezone.localtime(timezone.now() + timedelta(days=1))
    data.update(
        {
            "assignment-0-editor": str(editor_b.pk),
            "assignment-0-due_at_0": due.strftime("%Y-%m-%d"),
            "assignment-0-due_at_1": due.strftime("%H:%M:%S"),
        }
    )
    response = desk["a"].post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Assignment.objects.get(article=article).editor == editor_b


def test_the_add_another_link_names_a_feminine_noun_rightly(desk):
    """Django's admin offers «أضِف ملاحظة داخلية آخر» (a masculine «آخر» after a feminine noun);
    the desk's catalogue says «إضافة …», right for any noun."""
    import html
    import json
    import re

    form = desk["a"].get(article_admin_url("change", desk["article"].pk)).content.decode()
    offered = [
        json.loads(html.unescape(data))["options"]["addText"]
        for data in re.findall(r'data-inline-formset="([^"]+)"', form)
    ]
    assert "إضافة ملاحظة داخلية" in offered, offered
    assert not any(text.endswith(" آخر") for text in offered), offered
