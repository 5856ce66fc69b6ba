"""send_digest against a real local SMTP server: what arrives, once, and nothing lost."""

import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from articles.models import Article
from counters.models import ArticleViewDay
from digests.models import Delivery, Digest, Subscriber
from tests.counters.concurrency import in_threads
from tests.digests.conftest import Inbox, running_smtp
from tests.factories import image_upload, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _digest_settings(settings):
    settings.NEWSROOM_DIGEST_HOUR = 0  # the daily digest is due whenever the test runs


@pytest.fixture
def readers():
    return {
        "daily": Subscriber.objects.create(email="daily@example.org", daily=True),
        "breaking": Subscriber.objects.create(
            email="breaking@example.org", daily=False, breaking=True
        ),
        "both": Subscriber.objects.create(email="both@example.org", daily=True, breaking=True),
    }


@pytest.fixture
def pick():
    article = make_article("المجلس يقرّ الموازنة", is_featured=True, lead="ملخص الخبر.")
    article.image = image_upload()
    article.image_alt_ar = "قاعة المجلس"
    article.save()
    return article


def send(*args):
    call_command("send_digest", *args, stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))


class TestDailyDigest:
    def test_run_twice_each_subscriber_gets_it_once(self, smtp, readers, pick):
        send()
        send()
        assert len(smtp.to("daily@example.org")) == 1
        assert len(smtp.to("both@example.org")) == 1
        assert smtp.to("breaking@example.org") == []
        assert Digest.objects.count() == 1

    def test_html_and_text_rtl_images_and_one_click_unsubscribe(self, smtp, readers, pick):
        send()
        (message,) = smtp.to("daily@example.org")
        # the date as the site writes it, not 2026-12-08
        assert not re.search(r"\d{4}-\d{2}-\d{2}", message["Subject"]), message["Subject"]
        token = readers["daily"].token
        unsubscribe = f"https://example.sy/ar/newsletter/unsubscribe/{token}/"
        assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"  # may be folded
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        html, text = smtp.html(message), smtp.text(message)
        assert '<html lang="ar" dir="rtl">' in html and "المجلس يقرّ الموازنة" in html
        image = re.search(r'<img src="([^"]+)" alt="قاعة المجلس"', html)[1]
        assert image.startswith("https://example.sy/media/renditions/") and image.endswith(".jpg")
        assert "ملخص الخبر." in text and unsubscribe in text and unsubscribe in html
        assert "https://example.sy/ar/news/" in text
        # Each subscriber's own link; the other one's never appears.
        assert readers["both"].token not in html
        # The mail program's one click, as RFC 8058 has it: a POST, no cookie, no token.
        Client(enforce_csrf_checks=True).post(
            unsubscribe.removeprefix("https://example.sy"),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert not Subscriber.objects.filter(email="daily@example.org").exists()

    def test_editors_picks_first(self, smtp, readers, pick):
        make_article("خبر عادي")
        send()
        text = smtp.text(smtp.to("daily@example.org")[0])
        assert "المجلس يقرّ الموازنة" in text and "خبر عادي" not in text

    def test_else_the_most_read(self, smtp, readers):
        quiet, read = make_article("خبر هادئ"), make_article("الخبر الأكثر قراءة")
        ArticleViewDay.objects.create(article=read, day=timezone.localdate(), views=40)
        ArticleViewDay.objects.create(article=quiet, day=timezone.localdate(), views=2)
        send()
        text = smtp.text(smtp.to("daily@example.org")[0])
        assert text.index("الخبر الأكثر قراءة") < text.index("خبر هادئ")

    def test_drafts_never_go_out(self, smtp, readers):
        make_article("مسودة سرية", published=False, is_featured=True)
        send()
        assert smtp.messages == []
        assert not Digest.objects.exists()

    def test_a_subscriber_who_joined_after_the_digest_waits_for_the_next(self, smtp, readers, pick):
        send()
        Subscriber.objects.create(email="late@example.org")
        send()
        assert smtp.to("late@example.org") == []


class TestBreakingNews:
    def test_a_breaking_article_is_sent_at_most_once(self, smtp, readers):
        article = make_article("عاجل: زلزال", is_breaking=True)
        send("--kind", "breaking")
        send("--kind", "breaking")
        article.is_breaking = False
        article.save()
        article.is_breaking = True
        article.save()
        send("--kind", "breaking")
        assert len(smtp.to("breaking@example.org")) == 1
        assert len(smtp.to("both@example.org")) == 1
        assert smtp.to("daily@example.org") == []
        (message,) = smtp.to("breaking@example.org")
        assert message["Subject"].strip() == "عاجل: زلزال"  # the title's own «عاجل:» is not doubled
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    def test_old_or_unpublished_breaking_news_is_not_sent(self, smtp, readers):
        make_article("عاجل قديم", is_breaking=True, ago=timedelta(days=2))
        make_article("عاجل مسودة", is_breaking=True, published=False)
        scheduled = make_article("عاجل مجدول", is_breaking=True)
        Article.objects.filter(pk=scheduled.pk).update(
            status="scheduled", published_at=timezone.now() + timedelta(hours=1)
        )
        send("--kind", "breaking")
        assert smtp.messages == []


class TestOutage:
    def test_nothing_is_lost_while_the_mail_server_is_down(self, smtp_settings, readers, pick):
        send()  # nobody listens on EMAIL_PORT
        assert Delivery.objects.filter(status="pending").count() == 2
        waiting = Delivery.objects.exclude(last_error="")
        assert waiting.count() == 1  # stopped at the first failure: the rest untouched
        assert waiting.get().next_attempt_at > timezone.now()
        with running_smtp(smtp_settings.EMAIL_PORT) as inbox:
            send()  # the failed one waits for its retry time; the untouched one goes now
            send("--retry-now")
            send("--retry-now")
        assert len(inbox.to("daily@example.org")) == 1
        assert len(inbox.to("both@example.org")) == 1
        assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}

    def test_the_desk_shows_what_waits_and_why(self, smtp_settings, readers, pick, admin_client):
        send()
        page = admin_client.get("/ar/admin/digests/digest/").content.decode()
        assert "أخبار اليوم" in page
        digest = Digest.objects.get()
        change = admin_client.get(f"/ar/admin/digests/digest/{digest.pk}/change/").content.decode()
        first = Article.objects.get(pk=digest.article_ids[0])
        assert f">{first.title}</a>" in change and str(digest.article_ids) not in change
        deliveries = admin_client.get("/ar/admin/digests/delivery/?status=pending")
        assert "ConnectionRefusedError" in deliveries.content.decode()
        late = "أكثر من 15 دقيقة عن موعد"
        assert late not in deliveries.content.decode()  # just now: nothing is late yet
        Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=20))
        page = admin_client.get("/ar/admin/digests/delivery/").content.decode()
        assert late in page and "send_digest" in page

    def test_a_refused_address_does_not_stop_the_others(self, smtp_settings, readers, pick):
        class Refusing(Inbox):
            async def handle_RCPT(self, server, session, envelope, address, options):
                if address.startswith("both@"):
                    return "550 no such user"
                envelope.rcpt_tos.append(address)
                return "250 OK"

        with running_smtp(smtp_settings.EMAIL_PORT, Refusing()) as inbox:
            send()
        assert len(inbox.to("daily@example.org")) == 1
        refused = Delivery.objects.get(subscriber=readers["both"])
        assert (refused.status, refused.attempts) == ("pending", 1)
        assert "SMTPRecipientsRefused" in refused.last_error


class TestSeveralMachines:
    @pytest.mark.django_db(transaction=True)
    def test_runs_at_the_same_moment_send_each_email_once(self, smtp):
        for n in range(40):
            Subscriber.objects.create(email=f"reader{n}@example.org")
        make_article("خبر اليوم", is_featured=True)
        in_threads(4, lambda index: send())
        received = [rcpt for rcpts, _message in smtp.messages for rcpt in rcpts]
        assert len(received) == 40 and len(set(received)) == 40
        assert Digest.objects.count() == 1


class TestCommand:
    def test_needs_an_origin_for_its_links(self, settings, readers):
        settings.NEWSROOM_SITE_URL = ""
        with pytest.raises(CommandError):
            call_command("send_digest")

    def test_dry_run_makes_and_sends_nothing(self, smtp, readers, pick):
        send("--dry-run")
        assert smtp.messages == [] and not Digest.objects.exists()


class TestPersonalData:
    def test_export_and_delete_from_the_desk(self, admin_client, readers):
        ids = [readers["daily"].pk]
        export = admin_client.post(
            "/ar/admin/digests/subscriber/",
            {"action": "export_csv", "_selected_action": ids},
        )
        assert "daily@example.org" in export.content.decode("utf-8-sig")
        assert "both@example.org" not in export.content.decode("utf-8-sig")
        admin_client.post(
            "/ar/admin/digests/subscriber/",
            {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        )
        assert not Subscriber.objects.filter(pk=readers["daily"].pk).exists()

    def test_addresses_never_appear_on_public_pages_or_the_api(self, client, readers, pick):
        for path in ("/ar/", pick.get_absolute_url(), "/api/v1/authors/", "/api/v1/articles/"):
            assert "example.org" not in client.get(path).content.decode()
