"""The outbox in the desk: channels configured, deliveries listed with their Arabic reason,
sent again with one action, and counted on the desk's index."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from reach import outbox
from reach.models import Channel, Delivery
from tests.articles.desk_helpers import make_staff
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_ar():
    user = get_user_model().objects.create_superuser("chief", "chief@example.sy", "pw")
    client = Client()
    client.force_login(user)
    return client


def failed_delivery(channel, headline="خبر لم يصل"):
    article = make_article(headline, ago=timedelta(0))  # after the channel was made
    outbox.reconcile(article.pk)
    Delivery.objects.filter(article_id=article.pk).update(
        status=Delivery.Status.FAILED,
        error=Delivery.Error.FORBIDDEN,
        error_detail="403: Forbidden: bot was kicked from the channel chat",
        attempts=1,
    )
    return Delivery.objects.get(article_id=article.pk)


def test_the_list_shows_the_reason_in_arabic_and_retry_sends_again(
    admin_client_ar, bot_api, channel
):
    delivery = failed_delivery(channel)
    url = reverse("admin:reach_delivery_changelist")
    page = admin_client_ar.get(url + "?status__exact=failed").content.decode()
    assert "خبر لم يصل" in page
    assert "لا يستطيع البوت النشر في هذه القناة" in page
    answer = admin_client_ar.post(
        url, {"action": "retry", "_selected_action": [delivery.pk]}, follow=True
    )
    assert "سيُرسل إرسال واحد في الدورة التالية." in answer.content.decode()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error, delivery.attempts) == ("pending", "", 0)
    outbox.send_due()
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(bot_api.called("sendMessage")) == 1


def test_a_delivery_of_a_deleted_article_still_lists_and_opens(admin_client_ar, channel):
    delivery = failed_delivery(channel, "خبر حُذف")
    Article.objects.filter(pk=delivery.article_id).delete()
    assert Delivery.objects.filter(pk=delivery.pk).exists()
    listing = admin_client_ar.get(reverse("admin:reach_delivery_changelist"))
    assert listing.status_code == 200 and "خبر حُذف" in listing.content.decode()
    detail = admin_client_ar.get(reverse("admin:reach_delivery_change", args=[delivery.pk]))
    assert detail.status_code == 200


def test_the_desk_index_counts_waiting_sent_and_failed(admin_client_ar, channel):
    failed_delivery(channel)
    outbox.reconcile(make_article("خبر ينتظر").pk)
    page = admin_client_ar.get(reverse("admin:index")).content.decode()
    assert "القنوات خارج الموقع" in page
    assert "بانتظار الإرسال" in page and "أُرسل اليوم" in page
    assert "لا يستطيع البوت النشر في هذه القناة" in page  # the latest failure, with its reason


def test_a_channel_with_a_bad_address_is_refused_in_arabic(admin_client_ar):
    answer = admin_client_ar.post(
        reverse("admin:reach_channel_add"),
        {
            "name": "قناتنا",
            "kind": "telegram",
            "chat": "t.me/not a channel",
            "min_interval_seconds": 3,
        },  # fmt: skip,
    )
    assert answer.status_code == 200
    assert "اكتب القناة بصيغة" in answer.content.decode()
    assert not Channel.objects.exists()
    answer = admin_client_ar.post(
        reverse("admin:reach_channel_add"),
        {
            "name": "قناتنا",
            "kind": "telegram",
            "chat": "@almasa_news",
            "min_interval_seconds": 3,
            "is_active": "on",
        },  # fmt: skip,
    )
    assert answer.status_code == 302
    assert Channel.objects.get().chat == "@almasa_news"
    # Telegram's names ignore case: the same channel again would get every article twice.
    twin = admin_client_ar.post(
        reverse("admin:reach_channel_add"),
        {
            "name": "قناة ثانية",
            "kind": "telegram",
            "chat": "@AlMasa_News",
            "min_interval_seconds": 3,
        },  # fmt: skip,
    )
    assert twin.status_code == 200 and "في القائمة من قبل" in twin.content.decode()
    assert Channel.objects.count() == 1


def test_a_web_push_channel_is_made_in_the_desk_once(admin_client_ar):
    """The channel form had no kind: every channel was Telegram's, and alerts could not be
    set up at all."""
    add = reverse("admin:reach_channel_add")
    form = admin_client_ar.get(add).content.decode()
    assert 'name="kind"' in form and "تنبيهات" in form.split('name="kind"')[1][:600]
    data = {"name": "تنبيهات المتصفح", "kind": "web_push", "chat": "", "min_interval_seconds": 0}
    typed = {**data, "chat": "@typed_first", "is_active": "on"}  # before the kind was changed
    assert admin_client_ar.post(add, typed).status_code == 302
    channel = Channel.objects.get()
    assert channel.kind == Channel.Kind.WEB_PUSH and channel.chat == ""
    # Its form offers only what web push uses: no Telegram chat, silence or filters.
    change = admin_client_ar.get(reverse("admin:reach_channel_change", args=[channel.pk]))
    page = change.content.decode()
    assert 'name="breaking_only"' in page and "reach/channel-form.js" in page
    for telegram_only in ("chat", "silent_unless_breaking", "sections", "topics"):
        assert f'name="{telegram_only}"' not in page, telegram_only
    interval = page.split('name="min_interval_seconds"')[1].split("</div>")[1]
    assert "تيليغرام" not in interval and "أقل مدة بين تنبيهين" in interval, interval
    again = admin_client_ar.post(add, {**data, "name": "تنبيهات ثانية"})
    assert again.status_code == 200 and "سيصل كل تنبيه إلى القرّاء مرتين" in again.content.decode()
    assert Channel.objects.count() == 1


@pytest.mark.parametrize(
    "typed",
    [
        "https://t.me/almasa_news",
        "t.me/almasa_news/",
        "http://telegram.me/almasa_news",
        "https://t.me/s/almasa_news",
    ],
)
def test_a_pasted_channel_link_becomes_its_name(admin_client_ar, typed):
    answer = admin_client_ar.post(
        reverse("admin:reach_channel_add"),
        {"name": "قناتنا", "kind": "telegram", "chat": typed, "min_interval_seconds": 3},
    )
    assert answer.status_code == 302
    assert Channel.objects.get().chat == "@almasa_news"


def test_the_desk_says_why_nothing_goes_out(admin_client_ar, settings, channel):
    """No runner and no bot token: deliveries would wait for ever while the retry action said
    they would go at the next pass."""
    from ops.jobs import run_once

    settings.NEWSROOM_TELEGRAM_BOT_TOKEN = ""
    no_runner, no_token = "لم يعمل مُشغّل المهام مؤخرًا", "لم يُضبط رمز بوت تيليغرام"
    for name in ("delivery", "channel"):
        page = admin_client_ar.get(reverse(f"admin:reach_{name}_changelist")).content.decode()
        assert no_runner in page and no_token in page, name
    settings.NEWSROOM_TELEGRAM_BOT_TOKEN = "123:token"
    run_once("purge_view_readers", timezone.now(), lambda: None)  # a runner's pass
    page = admin_client_ar.get(reverse("admin:reach_delivery_changelist")).content.decode()
    assert no_runner not in page and no_token not in page


def test_a_delivery_names_its_article_with_a_link(admin_client_ar, channel):
    delivery = failed_delivery(channel, "خبر عن الطقس")
    page = admin_client_ar.get(
        reverse("admin:reach_delivery_change", args=[delivery.pk])
    ).content.decode()
    link = reverse("admin:articles_article_change", args=[delivery.article_id])
    assert f'<a href="{link}" dir="auto">خبر عن الطقس</a>' in page
    assert "Article id" not in page


def test_publish_correct_unpublish_through_the_article_form(
    bot_api, channel, django_capture_on_commit_callbacks
):
    from tests.articles.desk_helpers import open_form, save
    from tests.desk.conftest import signed_in

    editor = signed_in(make_staff("المحررون", username="huda"))
    article = make_article("زلزال بقوة ست درجات", published=False, lead="شعر به سكان المدن.")
    with django_capture_on_commit_callbacks(execute=True):
        answer = save(
            editor, article, open_form(editor, article), status="published", is_breaking="on"
        )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    outbox.send_due()
    (post,) = bot_api.called("sendMessage")
    assert post.params["disable_notification"] is False
    assert post.params["text"].startswith("🔴 <b>عاجل</b>\n<b>زلزال بقوة ست درجات</b>")

    data = open_form(editor, article)
    assert data["corrections-TOTAL_FORMS"] == "0"
    changes = {
        "corrections-TOTAL_FORMS": "1",  # what the page's "add another correction" does
        "corrections-0-text": "القوة ست درجات لا سبع.",
        "corrections-0-kind": "correction",
    }
    with django_capture_on_commit_callbacks(execute=True):
        answer = save(editor, article, data, **changes)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    outbox.send_due()
    (edit,) = bot_api.called("editMessageText")
    assert edit.params["message_id"] == post_message_id(article)
    assert "صُحّح هذا الخبر" in edit.params["text"]

    with django_capture_on_commit_callbacks(execute=True):
        answer = save(editor, article, open_form(editor, article), status="unpublished")
    assert answer.status_code == 302
    outbox.send_due()
    (delete,) = bot_api.called("deleteMessage")
    assert delete.params["message_id"] == post_message_id(article)
    assert len(bot_api.called("sendMessage")) == 1


def post_message_id(article):
    return Delivery.objects.get(article_id=article.pk, action="post").message_id
