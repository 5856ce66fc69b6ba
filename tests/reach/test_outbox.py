"""Publishing, correcting and unpublishing against a real loopback Bot API server."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Correction, Topic
from articles.services import set_status
from reach import outbox
from reach.models import Channel, Delivery
from tests.factories import image_upload, make_article, make_section
from tests.reach.conftest import SITE, TOKEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "editor@example.sy", "pw")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the outbox's receivers) as a real commit would."""

    def run(work):
        with django_capture_on_commit_callbacks(execute=True):
            return work()

    return run


def publish(committed, title="الحكومة تعلن خطة جديدة", **fields):
    fields.setdefault("lead", "أعلنت الحكومة اليوم خطة لإعادة الإعمار.")
    fields.setdefault("ago", timedelta(0))  # news: published after the channel was made
    return committed(lambda: make_article(title, **fields))


class TestPublishing:
    def test_a_published_article_is_posted_once_with_its_short_link(
        self, bot_api, channel, committed
    ):
        article = publish(committed)
        report = outbox.send_due()
        assert report.sent == 1
        (call,) = bot_api.called()
        assert (call.method, call.token) == ("sendMessage", TOKEN)
        assert call.params["chat_id"] == "@almasa_news"
        assert call.params["parse_mode"] == "HTML"
        assert "<b>الحكومة تعلن خطة جديدة</b>" in call.params["text"]
        assert "أعلنت الحكومة اليوم خطة لإعادة الإعمار." in call.params["text"]
        assert call.params["text"].endswith(f"{SITE}/a/{article.pk}")
        assert call.params["disable_notification"] is True  # not breaking: silent
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.action, delivery.version) == ("sent", "post", 1)
        assert delivery.message_id == 101
        # Nothing more is owed: another pass sends nothing.
        assert outbox.send_due().sent == 0
        outbox.reconcile(article.pk)
        assert Delivery.objects.count() == 1 and len(bot_api.called()) == 1

    def test_with_a_photo_it_is_send_photo_with_a_caption(self, bot_api, channel, committed):
        article = publish(committed, image=image_upload(size=(1600, 900)), is_breaking=True)
        outbox.send_due()
        (call,) = bot_api.called()
        assert call.method == "sendPhoto"
        assert call.params["photo"].startswith(f"{SITE}/media/")
        assert call.params["photo"].endswith(".jpg")
        assert call.params["caption"].startswith("🔴 <b>عاجل</b>")
        assert call.params["caption"].endswith(f"/a/{article.pk}")
        assert call.params["disable_notification"] is False  # breaking: with a sound

    def test_script_in_a_headline_arrives_escaped_and_arabic_intact(
        self, bot_api, channel, committed
    ):
        publish(committed, title="<script>alert('x')</script> انفجار في المرفأ")
        outbox.send_due()
        text = bot_api.called("sendMessage")[0].params["text"]
        assert "<script>" not in text
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; انفجار في المرفأ" in text

    def test_drafts_and_future_articles_are_not_posted(self, bot_api, channel, committed):
        committed(lambda: make_article("مسودة", published=False))
        scheduled = make_article("مجدول", published=False)
        scheduled.status = Article.Status.SCHEDULED
        scheduled.published_at = timezone.now() + timedelta(hours=1)
        committed(scheduled.save)
        assert Delivery.objects.count() == 0
        outbox.sweep()
        assert Delivery.objects.count() == 0
        # Its time comes: the sweep (send_deliveries, every pass) owes and sends it.
        Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now())
        call_command("send_deliveries", verbosity=0)
        (call,) = bot_api.called()
        assert "مجدول" in call.params["text"]

    def test_channel_filters_breaking_only_and_sections(self, bot_api, committed):
        politics, sport = make_section("سياسة"), make_section("رياضة")
        Channel.objects.create(
            name="عاجل", chat="-1001234567890", breaking_only=True, min_interval_seconds=0
        )
        by_section = Channel.objects.create(name="سياسة", chat="@politics_sy")
        by_section.sections.add(politics)
        topic = Topic.objects.create(name_ar="انتخابات")
        by_section.topics.add(topic)
        publish(committed, title="خبر سياسي", section=politics)
        publish(committed, title="خبر رياضي عاجل", section=sport, is_breaking=True)
        about = publish(committed, title="خبر رياضي عن الانتخابات", section=sport)
        assert Delivery.objects.filter(channel=by_section).count() == 1
        committed(lambda: about.topics.add(topic))
        owed = {(d.channel.name, d.headline) for d in Delivery.objects.select_related("channel")}
        assert owed == {
            ("سياسة", "خبر سياسي"),
            ("سياسة", "خبر رياضي عن الانتخابات"),
            ("عاجل", "خبر رياضي عاجل"),
        }


class TestCorrectingAndUnpublishing:
    def test_a_correction_edits_the_same_message(self, bot_api, channel, committed):
        article = publish(committed, image=image_upload())
        outbox.send_due()
        message_id = Delivery.objects.get().message_id
        committed(
            lambda: Correction.objects.create(article=article, text="صُحّح اسم الوزير في الخبر.")
        )
        outbox.send_due()
        (edit,) = bot_api.called("editMessageCaption")
        assert edit.params["message_id"] == message_id
        assert "صُحّح هذا الخبر" in edit.params["caption"]
        # A new headline edits it again, still the same message.
        article.title_ar = "الحكومة تعلن خطة معدّلة"
        committed(article.save)
        outbox.send_due()
        edits = bot_api.called("editMessageCaption")
        assert [call.params["message_id"] for call in edits] == [message_id, message_id]
        assert "الحكومة تعلن خطة معدّلة" in edits[-1].params["caption"]
        assert bot_api.messages[("@almasa_news", message_id)]["text"] == edits[-1].params["caption"]
        versions = list(Delivery.objects.order_by("version").values_list("version", "action"))
        assert versions == [(1, "post"), (2, "edit"), (3, "edit")]
        assert len(bot_api.called("sendPhoto")) == 1

    def test_a_text_post_is_edited_with_edit_message_text(self, bot_api, channel, committed):
        article = publish(committed)
        outbox.send_due()
        article.lead_ar = "تفاصيل جديدة عن الخطة."
        committed(article.save)
        outbox.send_due()
        (edit,) = bot_api.called("editMessageText")
        assert edit.params["message_id"] == 101
        assert "تفاصيل جديدة عن الخطة." in edit.params["text"]

    def test_an_edit_before_the_post_went_waits_for_it(self, bot_api, channel, committed):
        article = publish(committed)
        article.title_ar = "عنوان مصحح قبل الإرسال"
        committed(article.save)
        assert Delivery.objects.count() == 2
        outbox.send_due()
        assert [call.method for call in bot_api.called()] == ["sendMessage", "editMessageText"]

    def test_unpublishing_deletes_the_message(self, bot_api, channel, committed, editor):
        article = publish(committed)
        outbox.send_due()
        committed(
            lambda: set_status(
                articles=Article.objects.filter(pk=article.pk), status="unpublished", user=editor
            )
        )
        outbox.send_due()
        (delete,) = bot_api.called("deleteMessage")
        assert delete.params == {"chat_id": "@almasa_news", "message_id": 101}
        assert bot_api.messages == {}
        # Published again: a new post (version 3), a new message.
        committed(
            lambda: set_status(
                articles=Article.objects.filter(pk=article.pk), status="published", user=editor
            )
        )
        outbox.send_due()
        assert len(bot_api.called("sendMessage")) == 2
        assert Delivery.objects.get(version=3).message_id == 102

    def test_deleting_the_article_deletes_the_message(self, bot_api, channel, committed):
        article = publish(committed)
        outbox.send_due()
        committed(article.delete)
        outbox.send_due()
        (delete,) = bot_api.called("deleteMessage")
        assert delete.params["message_id"] == 101

    def test_unpublished_before_it_was_sent_nothing_is_posted(
        self, bot_api, channel, committed, editor
    ):
        article = publish(committed)
        committed(
            lambda: set_status(
                articles=Article.objects.filter(pk=article.pk), status="unpublished", user=editor
            )
        )
        Delivery.objects.filter(action="post").update(status="failed")  # e.g. it had failed
        outbox.send_due()
        assert bot_api.called() == []
        assert Delivery.objects.get(action="delete").status == "sent"


class TestFailures:
    def test_429_waits_retry_after_then_sends_once(self, bot_api, channel, committed):
        publish(committed)
        bot_api.answer_next(429, "Too Many Requests: retry after 1", retry_after=1)
        report = outbox.send_due()
        assert (report.sent, report.retrying) == (0, 1)
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.error, delivery.retry_after) == (
            "pending",
            "rate_limited",
            1,
        )
        assert "ثانية واحدة" in delivery.reason  # the wait, in Arabic: one second
        channel.refresh_from_db()
        assert channel.next_send_at > timezone.now()
        assert outbox.send_due().sent == 0  # the channel waits: nothing is even tried
        assert len(bot_api.called()) == 1
        # A second later (the clock moved on, not slept through): it is sent.
        with time_machine.travel(timezone.now() + timedelta(seconds=1.1), tick=True):
            assert outbox.send_due().sent == 1
        assert len(bot_api.called("sendMessage")) == 2
        assert Delivery.objects.get().status == "sent"

    def test_403_fails_with_its_reason_then_retry_sends(self, bot_api, channel, committed):
        publish(committed)
        bot_api.answer_next(403, "Forbidden: bot was kicked from the channel chat")
        assert outbox.send_due().failed == 1
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.error) == ("failed", "forbidden")
        assert "البوت" in delivery.reason  # said in Arabic on the desk
        assert outbox.send_due().sent == 0  # a failure is not retried by itself
        outbox.retry(Delivery.objects.all())
        assert outbox.send_due().sent == 1

    def test_500_is_retried_later_with_a_growing_wait(self, bot_api, channel, committed):
        publish(committed)
        bot_api.answer_next(500, "Internal Server Error")
        before = timezone.now()
        assert outbox.send_due().retrying == 1
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.error, delivery.attempts) == ("pending", "server", 1)
        assert delivery.next_attempt_at >= before + timedelta(seconds=15)
        Delivery.objects.update(next_attempt_at=timezone.now())
        bot_api.answer_next(500, "Internal Server Error")
        outbox.send_due()
        delivery.refresh_from_db()
        assert delivery.attempts == 2
        assert delivery.next_attempt_at >= timezone.now() + timedelta(seconds=25)

    def test_unreachable_api_waits_and_keeps_the_delivery(
        self, bot_api, channel, committed, settings
    ):
        publish(committed)
        settings.NEWSROOM_TELEGRAM_API_URL = "http://127.0.0.1:9"  # nothing listens
        assert outbox.send_due().retrying == 1
        assert Delivery.objects.get().error == "unreachable"

    def test_no_token_or_no_site_address_fail_clearly(self, bot_api, channel, committed, settings):
        publish(committed)
        settings.NEWSROOM_TELEGRAM_BOT_TOKEN = ""
        outbox.send_due()
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.error) == ("failed", "no_token")
        assert "NEWSROOM_TELEGRAM_BOT_TOKEN" in delivery.reason
        assert bot_api.called() == []

    def test_a_post_cut_off_mid_call_is_never_sent_again_by_itself(
        self, bot_api, channel, committed
    ):
        publish(committed)
        claimed = outbox.claim()  # the runner takes it... and dies before recording anything
        assert claimed.status == "sending"
        assert outbox.send_due().sent == 0  # still being sent: nobody else takes it
        Delivery.objects.update(claimed_at=timezone.now() - timedelta(minutes=10))
        assert outbox.send_due().sent == 0
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.error) == ("failed", "uncertain")
        assert bot_api.called() == []

    def test_run_jobs_sends_at_every_pass(self, bot_api, channel, committed):
        publish(committed)
        call_command("run_jobs", "--once", stdout=open("/dev/null", "w"))
        assert len(bot_api.called("sendMessage")) == 1


def test_a_channel_gets_at_most_one_message_per_interval(bot_api, committed):
    slow = Channel.objects.create(name="بطيئة", chat="@slow_channel", min_interval_seconds=60)
    fast = Channel.objects.create(name="سريعة", chat="@fast_channel", min_interval_seconds=0)
    publish(committed, title="الأول")
    publish(committed, title="الثاني")
    assert outbox.send_due().sent == 3  # the slow channel's second message waits its turn
    chats = [call.params["chat_id"] for call in bot_api.called("sendMessage")]
    assert sorted(chats) == ["@fast_channel", "@fast_channel", "@slow_channel"]
    waiting = Delivery.objects.get(status="pending")
    assert waiting.channel == slow and waiting.attempts == 0
    slow.refresh_from_db()
    assert slow.next_send_at > timezone.now() + timedelta(seconds=50)
    assert fast.deliveries.filter(status="sent").count() == 2


def test_old_articles_are_not_posted_but_their_posts_are_still_corrected(
    bot_api, channel, committed
):
    imported = publish(committed, title="خبر من الأرشيف", ago=timedelta(days=400))
    assert not Delivery.objects.filter(article_id=imported.pk).exists()
    recent = publish(committed, title="خبر اليوم")
    outbox.send_due()
    Article.objects.filter(pk=recent.pk).update(published_at=timezone.now() - timedelta(days=3))
    committed(lambda: Correction.objects.create(article=recent, text="تصحيح متأخر."))
    outbox.send_due()
    assert [call.method for call in bot_api.called()] == ["sendMessage", "editMessageText"]


def test_a_new_channel_starts_with_the_news_from_then_on(bot_api, committed):
    """Saved at 03:20, a new channel posted a story of 00:45 at once."""
    earlier = publish(committed, title="خبر الصباح", ago=timedelta(hours=2))
    Channel.objects.create(name="قناة جديدة", chat="@new_channel", min_interval_seconds=0)
    assert outbox.sweep() == 0 and not Delivery.objects.exists()
    later = publish(committed, title="خبر الظهيرة")
    outbox.send_due()
    assert [call.params["text"].split("\n")[0] for call in bot_api.called()] == [
        "<b>خبر الظهيرة</b>"
    ]
    assert not Delivery.objects.filter(article_id=earlier.pk).exists()
    assert Delivery.objects.filter(article_id=later.pk).count() == 1


def test_a_photo_telegram_cannot_fetch_falls_back_to_the_text(bot_api, channel, committed):
    publish(committed, image=image_upload())
    bot_api.answer_next(400, "Bad Request: wrong type of the web page content")
    assert outbox.send_due().sent == 1
    assert [call.method for call in bot_api.called()] == ["sendPhoto", "sendMessage"]
    delivery = Delivery.objects.get()
    assert (delivery.message_kind, delivery.message_id) == ("text", 101)
