"""Edit locks: who has an article open, shown on the form and the list; heartbeats; take over;
a lock ends when its heartbeat stops."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.utils import timezone, translation

from desk.models import EditLock
from tests.articles.desk_helpers import article_admin_url, form_data, make_staff
from tests.desk.conftest import signed_in
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def heartbeat(client, article, version="", token=""):
    url = article_admin_url("desk_heartbeat", article.pk)
    response = client.post(url, {"version": version, "token": token})
    assert response.status_code == 200
    return response.json()


def test_opening_an_article_takes_its_lock(desk, editor_a):
    article = desk["article"]
    desk["a"].get(article_admin_url("change", article.pk))
    lock = EditLock.objects.get(article=article)
    assert lock.user == editor_a


def test_the_second_editor_sees_who_edits_and_since_when_on_the_form_and_the_list(desk, editor_a):
    article = desk["article"]
    desk["a"].get(article_admin_url("change", article.pk))
    form = desk["b"].get(article_admin_url("change", article.pk)).content.decode()
    assert "يحرّره الآن سلمى الحسن، منذ" in form
    assert "تولَّ التحرير" in form  # the take-over button
    listing = desk["b"].get(article_admin_url("changelist")).content.decode()
    assert "يحرّره الآن سلمى الحسن، منذ" in listing
    assert EditLock.objects.get(article=article).user == editor_a  # not taken by looking


def test_the_list_shows_locks_without_a_query_per_article(desk, django_assert_max_num_queries):
    for _n in range(3):
        desk["a"].get(article_admin_url("change", make_article().pk))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        desk["b"].get(article_admin_url("changelist"))
    for _n in range(6):
        desk["a"].get(article_admin_url("change", make_article().pk))
    with CaptureQueriesContext(connection) as many:
        listing = desk["b"].get(article_admin_url("changelist")).content.decode()
    assert listing.count("يحرّره الآن سلمى الحسن") == 9
    assert len(many) == len(few)


def test_heartbeats_keep_the_lock_and_tell_the_others(desk):
    article = desk["article"]
    token = page_token(desk["a"], article)
    answer = heartbeat(desk["a"], article)
    assert answer == {"held": True, "token": token, "stale": False, "message": ""}
    answer = heartbeat(desk["b"], article)
    assert answer["held"] is False
    assert "يحرّره الآن سلمى الحسن" in answer["message"]


def test_a_heartbeat_that_finds_the_lock_ended_takes_it_under_its_pages_token(
    desk, editor_b, settings
):
    article = desk["article"]
    desk["a"].get(article_admin_url("change", article.pk))
    later = timezone.now() + timedelta(seconds=settings.NEWSROOM_LOCK_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        answer = heartbeat(desk["b"], article, token="b" * 32)
        assert answer["held"] is True and answer["token"] == "b" * 32
        lock = EditLock.objects.get(article=article)
        assert (lock.user, lock.token) == (editor_b, "b" * 32)
        release(desk["b"], article, "b" * 32)  # his tab closes: the lock ends
        assert not EditLock.objects.filter(article=article).exists()


def test_a_heartbeat_says_when_someone_saved_since_the_form_was_opened(desk):
    article = desk["article"]
    version = article.updated_at.isoformat()
    article.lead_ar = "تعديل من مكان آخر"
    article.save()
    answer = heartbeat(desk["a"], article, version)
    assert answer["stale"] is True
    assert "سيُرفض حفظ هذا النموذج" in answer["message"]


def test_a_lock_ends_when_its_heartbeat_stops(desk, editor_b, settings):
    article = desk["article"]
    desk["a"].get(article_admin_url("change", article.pk))
    later = timezone.now() + timedelta(seconds=settings.NEWSROOM_LOCK_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        form = desk["b"].get(article_admin_url("change", article.pk)).content.decode()
        assert "يحرّره الآن" not in form
        assert EditLock.objects.get(article=article).user == editor_b


def test_take_over_is_logged_and_the_first_editor_is_told_on_the_next_heartbeat(
    desk, editor_a, editor_b
):
    article = desk["article"]
    desk["a"].get(article_admin_url("change", article.pk))
    response = desk["b"].post(article_admin_url("desk_takeover", article.pk))
    assert response.status_code == 302
    lock = EditLock.objects.get(article=article)
    assert (lock.user, lock.taken_from) == (editor_b, editor_a)
    entry = LogEntry.objects.get(user=editor_b, object_id=str(article.pk))
    assert "تولّى التحرير بدلاً من سلمى الحسن" in entry.get_change_message()
    answer = heartbeat(desk["a"], article)
    assert answer["held"] is False
    assert "تولّى عمر الخطيب تحرير هذا المقال في" in answer["message"]
    assert EditLock.objects.get(article=article).user == editor_b  # her beat did not take it back
    form = desk["a"].get(article_admin_url("change", article.pk)).content.decode()
    assert "تولّى التحرير بدلاً منك" in form


def page_token(client, article):
    page = client.get(article_admin_url("change", article.pk)).content.decode()
    return re.search(r'data-lock-token="([0-9a-f]*)"', page).group(1)


def release(client, article, token):
    url = article_admin_url("desk_release", article.pk)
    assert client.post(url, {"token": token}).status_code == 204


def test_closing_the_tab_releases_the_lock(desk):
    article = desk["article"]
    token = page_token(desk["a"], article)
    release(desk["b"], article, token)
    assert EditLock.objects.filter(article=article).exists()  # not his to release
    release(desk["a"], article, token)
    assert not EditLock.objects.filter(article=article).exists()


def test_a_replaced_page_does_not_release_the_lock_of_the_page_that_replaced_it(desk):
    article = desk["article"]
    old = page_token(desk["a"], article)
    new = page_token(desk["a"], article)  # reloaded, or saved and continued
    assert old != new
    release(desk["a"], article, old)  # the old page's goodbye arrives late
    assert EditLock.objects.filter(article=article).exists()


def test_saving_and_leaving_the_form_ends_the_lock_saving_and_continuing_keeps_it(desk):
    article = desk["article"]
    url = article_admin_url("change", article.pk)
    data = form_data(desk["a"].get(url).content.decode())
    assert desk["a"].post(url, {**data, "_continue": "1"}).status_code == 302
    assert EditLock.objects.filter(article=article).exists()
    data = form_data(desk["a"].get(url).content.decode())
    assert desk["a"].post(url, data).status_code == 302
    assert not EditLock.objects.filter(article=article).exists()


def test_lock_endpoints_take_posts_from_those_who_may_edit_only(desk):
    article = desk["article"]
    for name in ("desk_heartbeat", "desk_takeover", "desk_release"):
        assert desk["a"].get(article_admin_url(name, article.pk)).status_code == 405
    writer = signed_in(make_staff("كتّاب الأخبار", username="writer"))
    assert writer.post(article_admin_url("desk_takeover", article.pk)).status_code == 403
    assert desk["a"].post(article_admin_url("desk_heartbeat", 999999)).status_code in (302, 404)


def test_an_articles_delete_page_lists_no_locks_or_status_rows(admin_client):
    """It listed «قفل تحرير: 1: admin» and each status change as things to delete."""
    from articles.models import StatusChange

    article = make_article("خبر يُحذف")
    StatusChange.objects.create(article=article, from_status="draft", to_status="review")
    admin_client.get(article_admin_url("change", article.pk))  # takes the lock
    assert EditLock.objects.filter(article=article).exists()
    assert StatusChange.objects.filter(article=article).exists()
    page = admin_client.get(article_admin_url("delete", article.pk)).content.decode()
    listed = page.split('id="content"')[1].split("<form")[0]
    assert "خبر يُحذف" in listed
    with translation.override("ar"):
        names = [str(meta.verbose_name) for meta in (EditLock._meta, StatusChange._meta)]
        names += [str(meta.verbose_name_plural) for meta in (EditLock._meta, StatusChange._meta)]
    for bookkeeping in names:
        assert bookkeeping not in listed, bookkeeping
    answer = admin_client.post(article_admin_url("delete", article.pk), {"post": "yes"})
    assert answer.status_code == 302
    assert not EditLock.objects.filter(article_id=article.pk).exists()  # gone with it
