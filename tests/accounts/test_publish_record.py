"""The publish record: who published, unpublished, scheduled, changed an embargo or corrected,
when, from which session, and whether that session passed the second factor; shown on the
article in the desk."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import DeskSession, PublishRecord
from articles import services
from articles.models import Article, Correction
from tests.accounts.conftest import code_for, enrol, sign_in
from tests.articles.desk_helpers import article_admin_url, post_article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

VERIFY = "/ar/admin/account/code/"


@pytest.fixture
def desk(editor):
    """The editor signed in with password and app code, from a known browser and address."""
    device, _codes = enrol(editor)
    client = Client(
        REMOTE_ADDR="198.51.100.8", HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux) Firefox/133.0"
    )
    sign_in(client, "editor", ip="198.51.100.8")
    assert client.post(VERIFY, {"code": code_for(device, steps_ahead=1)}).status_code == 302
    return client


def test_bulk_publish_and_unpublish_are_recorded_with_the_session(desk, editor):
    article = make_article("وزارة الصحة تعلن حملة تلقيح", published=False)
    changelist = article_admin_url("changelist")
    desk.post(changelist, {"action": "publish_selected", "_selected_action": [article.pk]})
    desk.post(changelist, {"action": "unpublish_selected", "_selected_action": [article.pk]})
    records = list(PublishRecord.objects.filter(article=article).order_by("at", "id"))
    assert [r.action for r in records] == ["publish", "unpublish"]
    session = DeskSession.objects.get(user=editor, ended_at=None)
    for record in records:
        assert record.user == editor
        assert record.session == session
        assert record.verified is True and record.verified_with == "totp"
        assert str(record.ip_address) == "198.51.100.8"
    assert "منشور" in records[0].detail


def test_change_form_publish_embargo_and_correction(desk, editor):
    article = make_article("خبر تحت الحظر", published=False)
    embargo = timezone.localtime(timezone.now() + timedelta(days=2)).replace(
        second=0, microsecond=0
    )
    response = post_article(
        desk,
        {
            "embargo_until_0": embargo.strftime("%Y-%m-%d"),
            "embargo_until_1": embargo.strftime("%H:%M:%S"),
        },
        article=article,
    )
    assert response.status_code == 302
    record = PublishRecord.objects.get(article=article)
    assert record.action == "embargo"
    assert embargo.strftime("%Y-%m-%d %H:%M") in record.detail
    assert record.verified

    # Lift the embargo and publish in the same save: two records.
    response = post_article(
        desk,
        {"embargo_until_0": "", "embargo_until_1": "", "status": "published"},
        article=article,
    )
    assert response.status_code == 302
    actions = set(PublishRecord.objects.filter(article=article).values_list("action", flat=True))
    assert actions == {"embargo", "publish"}

    Correction.objects.create(article=article, text="صُحّح اسم الوزير.", created_by=editor)
    fix = PublishRecord.objects.get(article=article, action="correction")
    assert "صُحّح اسم الوزير" in fix.detail


def test_record_is_shown_on_the_article_in_the_desk(desk, editor):
    article = make_article("خبر منشور للتحقق من السجل", published=False)
    desk.post(
        article_admin_url("changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    html = desk.get(article_admin_url("change", article.pk)).content.decode()
    assert "سجلّ النشر" in html
    action_cell = re.search(r'<td class="field-action">\s*<p>(.*?)</p>', html)
    assert action_cell and action_cell.group(1) == "نشر"  # the act, not «منشورة» (a page)
    assert "نعم (تطبيق المصادقة)" in html
    assert "198.51.100.8" in html
    # The add form has no record to show.
    assert "سجلّ النشر" not in desk.get(article_admin_url("add")).content.decode()


def test_password_only_session_is_recorded_as_such(settings, writer, editor):
    """A session that did not pass the second factor (requirement off, no authenticator)."""
    settings.NEWSROOM_REQUIRE_2FA = False
    client = Client()
    sign_in(client, "editor", ip="192.0.2.33")
    article = make_article("خبر ينشر بكلمة المرور وحدها", published=False)
    client.post(
        article_admin_url("changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    record = PublishRecord.objects.get(article=article)
    assert record.verified is False and record.verified_with == ""
    assert record.session is not None and record.session.user == editor
    html = client.get(article_admin_url("change", article.pk)).content.decode()
    assert "سجلّ النشر" in html and ">لا<" in html


def test_outside_a_request_there_is_no_session(editor):
    article = make_article("خبر من سطر الأوامر", published=False)
    services.set_status(
        articles=Article.objects.filter(pk=article.pk), status="published", user=editor
    )
    record = PublishRecord.objects.get(article=article)
    assert record.action == "publish" and record.user == editor
    assert record.session is None and record.ip_address is None and not record.verified


def test_moves_that_are_not_publishing_are_not_recorded(editor):
    article = make_article("مسودة", published=False)
    services.set_status(
        articles=Article.objects.filter(pk=article.pk), status="review", user=editor
    )
    assert not PublishRecord.objects.filter(article=article).exists()


def test_the_record_outlives_the_article(desk, editor):
    article = make_article("خبر سيُحذف", published=False)
    desk.post(
        article_admin_url("changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    article.delete()
    record = PublishRecord.objects.get(article_title="خبر سيُحذف")
    assert record.article is None and record.action == "publish"
