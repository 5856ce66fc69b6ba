"""Reply notifications with unsubscribe, and email confirmation of a first comment."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from comments.models import ReaderComment
from tests.comments.conftest import form_data, publish_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def post(article, **fields):
        with translation.override("ar"):
            url = reverse("comments:post")
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, form_data(article, **fields))

    return post


def links(message):
    return re.findall(r"http://testserver\S+", message.body)


def test_followers_get_a_reply_notification_and_can_stop_it(client, article, post, mailoutbox):
    publish_comment(article, email="follower@example.com", name="متابع", followup=True)
    publish_comment(article, email="quiet@example.com")  # did not ask
    publish_comment(article, email="salma@example.com")
    post(article, comment="تعليق جديد للمتابعين")
    assert [m.to for m in mailoutbox] == [["follower@example.com"]]
    message = mailoutbox[0]
    assert "تعليق جديد على" in message.subject
    assert "تعليق جديد للمتابعين" in message.body
    article_link, mute_link = links(message)
    assert article_link.endswith(f"#c{ReaderComment.objects.latest('pk').pk}")
    assert len(mute_link) < 2000
    page = client.get(mute_link)
    assert page.status_code == 200 and "توقفت الإشعارات" in page.content.decode()
    assert not ReaderComment.objects.filter(user_email="follower@example.com", followup=True)
    mailoutbox.clear()
    post(article, comment="تعليق آخر")
    assert mailoutbox == []


def test_the_author_is_not_notified_of_their_own_comment(article, post, mailoutbox):
    publish_comment(article, email="salma@example.com", followup=True)
    post(article, comment="تعليقي الثاني")
    assert mailoutbox == []


def test_held_comments_notify_nobody_until_approved(
    client, article, post, mailoutbox, admin_user, django_capture_on_commit_callbacks
):
    publish_comment(article, email="follower@example.com", followup=True)
    post(article, email="new@example.com", comment="ينتظر الموافقة")
    assert mailoutbox == []
    held = ReaderComment.objects.get(user_email="new@example.com")
    client.force_login(admin_user)
    with translation.override("ar"):
        url = reverse("admin:comments_readercomment_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "approve_comments", "_selected_action": [held.pk]})
    assert ReaderComment.objects.get(pk=held.pk).is_public
    assert [m.to for m in mailoutbox] == [["follower@example.com"]]
    assert "ينتظر الموافقة" in mailoutbox[0].body


def test_forged_mute_link_is_refused(client):
    with translation.override("ar"):
        url = reverse("comments:mute", kwargs={"token": "12:forged"})
    assert client.get(url).status_code == 400


@pytest.fixture
def confirming(settings):
    settings.COMMENTS_XTD_CONFIRM_EMAIL = True
    settings.NEWSROOM_COMMENTS_HOLD_FIRST = False


def test_first_comment_is_confirmed_by_email_once(client, article, post, mailoutbox, confirming):
    response = post(article, comment="ت" * 3000)
    comment = ReaderComment.objects.get()
    assert comment.awaiting_confirmation and not comment.is_public
    assert "افتح الرابط فيها لتأكيد تعليقك" in client.get(response["Location"]).content.decode()
    [message] = mailoutbox
    assert message.to == ["salma@example.com"]
    [link] = links(message)
    assert len(link) < 2000  # however long the comment: the link carries an id, not the text
    confirmed = client.get(link)
    assert confirmed["Location"] == f"{article.get_absolute_url()}#c{comment.pk}"
    assert ReaderComment.objects.get().is_public
    again = client.get(link)
    assert again.status_code == 410
    assert "استُخدم هذا الرابط من قبل" in again.content.decode()


def test_confirmation_links_expire(client, article, post, mailoutbox, confirming, settings):
    post(article)
    [link] = links(mailoutbox[0])
    with time_machine.travel(timedelta(seconds=settings.NEWSROOM_COMMENTS_CONFIRM_MAX_AGE + 60)):
        response = client.get(link)
    assert response.status_code == 410
    assert "انتهت صلاحية هذا الرابط" in response.content.decode()
    assert not ReaderComment.objects.get().is_public


def test_forged_confirmation_link_is_refused(client, article, post, mailoutbox, confirming):
    post(article)
    [link] = links(mailoutbox[0])
    prefix, token = link.rstrip("/").rsplit("/", 1)
    assert (
        client.get(f"{prefix}/{int(token.split(':')[0]) + 1}:{token.split(':', 1)[1]}/").status_code
        == 400
    )
    assert client.get(f"{prefix}/{token[:-3]}/").status_code == 400
    assert client.get(f"{prefix}/not-a-token/").status_code == 400


def test_confirmed_comment_still_waits_when_held(client, article, post, mailoutbox, settings):
    settings.COMMENTS_XTD_CONFIRM_EMAIL = True
    post(article)
    [link] = links(mailoutbox[0])
    response = client.get(link)
    comment = ReaderComment.objects.get()
    assert not comment.awaiting_confirmation and not comment.is_public
    assert comment.state == "waiting"
    assert response["Location"].endswith("#comment-status")


def test_known_addresses_need_no_confirmation(article, post, mailoutbox, confirming):
    publish_comment(article, email="salma@example.com")
    post(article, comment="لا حاجة للتأكيد")
    assert ReaderComment.objects.get(comment="لا حاجة للتأكيد").is_public
    assert mailoutbox == []


def test_a_failing_mail_server_never_fails_the_post(article, post, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    publish_comment(article, email="follower@example.com", followup=True)
    publish_comment(article, email="salma@example.com")
    response = post(article, comment="تعليق رغم تعطل البريد")
    assert response.status_code == 302
    assert ReaderComment.objects.get(comment="تعليق رغم تعطل البريد").is_public
    assert "Comment mail to follower@example.com failed" in caplog.text
