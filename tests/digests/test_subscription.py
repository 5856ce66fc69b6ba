"""Subscribing (double opt-in, Arabic), confirming and unsubscribing in one click."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from digests.models import Subscriber

pytestmark = pytest.mark.django_db


def subscribe_url():
    with translation.override("ar"):
        return reverse("digests:subscribe")


def confirm_link(inbox, address):
    (message,) = inbox.to(address)
    return re.search(r"https://example\.sy(/ar/newsletter/confirm/\S+/)", inbox.text(message))[1]


class TestDoubleOptIn:
    def test_nothing_is_stored_before_confirmation_and_the_email_is_arabic(self, client, smtp):
        response = client.post(subscribe_url(), {"email": "Reader@Example.org", "daily": "on"})
        assert response.status_code == 302
        assert not Subscriber.objects.exists()
        (message,) = smtp.to("reader@example.org")
        assert message["Subject"].strip() == "أكّد اشتراكك في نشرة الماسة السورية"
        assert "للتأكيد، افتح هذا الرابط" in smtp.text(message)
        assert "النشرة اليومية" in smtp.text(message)

    def test_signing_up_on_the_english_site_sends_an_english_email(self, client, smtp):
        """It was Arabic, with an /ar/ link, after an English page said «Check your email»."""
        with translation.override("en"):
            url = reverse("digests:subscribe")
        # The English form says so before the reader signs up, not only the email after.
        assert "The newsletter is written in Arabic." in client.get(url).content.decode()
        with translation.override("ar"):
            arabic = client.get(reverse("digests:subscribe")).content.decode()
        assert "بريد" in arabic and "The newsletter is written in Arabic." not in arabic
        assert client.post(url, {"email": "reader2@example.org", "daily": "on"}).status_code == 302
        (message,) = smtp.to("reader2@example.org")
        text = smtp.text(message)
        assert message["Subject"].strip().startswith("Confirm your subscription")
        assert "The newsletter is written in Arabic." in text
        assert re.search(r"https://example\.sy/en/newsletter/confirm/\S+/", text), text
        assert "للتأكيد" not in text
        # Confirmed, the reader's unsubscribe link is on the English site too.
        link = re.search(r"https://example\.sy(/en/newsletter/confirm/\S+/)", text)[1]
        assert client.post(link).status_code == 200
        from digests.services import unsubscribe_url

        subscriber = Subscriber.objects.get()
        assert subscriber.language == "en"
        assert "/en/newsletter/unsubscribe/" in unsubscribe_url(subscriber, "https://example.sy")

    def test_confirming_from_the_email_stores_the_choices(self, client, smtp):
        client.post(subscribe_url(), {"email": "reader@example.org", "breaking": "on"})
        link = confirm_link(smtp, "reader@example.org")
        page = client.get(link)  # opening the link (or a mail scanner) changes nothing
        assert page.status_code == 200 and "reader@example.org" in page.content.decode()
        assert not Subscriber.objects.exists()
        assert client.post(link).status_code == 200
        subscriber = Subscriber.objects.get()
        assert (subscriber.email, subscriber.daily, subscriber.breaking) == (
            "reader@example.org",
            False,
            True,
        )

    def test_confirming_again_updates_the_choices_of_the_one_row(self, client, smtp):
        for choices in ({"daily": "on"}, {"daily": "on", "breaking": "on"}):
            client.post(subscribe_url(), {"email": "reader@example.org", **choices})
        links = [
            re.search(r"(/ar/newsletter/confirm/\S+/)", smtp.text(message))[1]
            for message in smtp.to("reader@example.org")
        ]
        for link in links:
            client.post(link)
        assert Subscriber.objects.get().breaking is True

    def test_an_old_or_forged_link_is_refused_in_arabic(self, client, smtp):
        client.post(subscribe_url(), {"email": "reader@example.org", "daily": "on"})
        link = confirm_link(smtp, "reader@example.org")
        with time_machine.travel(timedelta(days=4)):
            late = client.post(link)
        assert late.status_code == 400 and "هذا الرابط لا يعمل" in late.content.decode()
        forged = client.post(link.replace("confirm/", "confirm/x"))
        assert forged.status_code == 400
        assert not Subscriber.objects.exists()


class TestFormRefusals:
    @pytest.mark.parametrize(
        "data, message",
        [
            ({"email": "", "daily": "on"}, "اكتب عنوان بريدك الإلكتروني."),
            ({"email": "ليس-بريداً", "daily": "on"}, "عنوان البريد الإلكتروني هذا غير صالح."),
            ({"email": "reader@example.org"}, "اختر النشرة اليومية أو الأخبار العاجلة أو كليهما."),
        ],
    )
    def test_arabic_errors_and_what_was_typed_is_kept(self, client, smtp, data, message):
        response = client.post(subscribe_url(), data)
        page = response.content.decode()
        assert response.status_code == 400 and message in page
        if data["email"]:
            assert data["email"] in page
        assert smtp.messages == []

    def test_bidi_overrides_and_invisible_characters_are_neutralised(self, client, smtp):
        """Typed with a right-to-left override, an address is shown back (and used) without it."""
        typed = "\u202ereader\u200b@example.org\u202c"
        response = client.post(subscribe_url(), {"email": typed})  # no list chosen: returned
        page = response.content.decode()
        assert response.status_code == 400
        assert 'value="reader@example.org"' in page
        assert "\u202e" not in page and "\u200b" not in page
        client.post(subscribe_url(), {"email": typed, "daily": "on"})
        assert smtp.to("reader@example.org")

    def test_csrf_is_required(self, smtp):
        client = Client(enforce_csrf_checks=True)
        response = client.post(subscribe_url(), {"email": "reader@example.org", "daily": "on"})
        assert response.status_code == 403
        assert smtp.messages == []

    def test_rate_limited_per_address(self, client, smtp, settings):
        settings.NEWSROOM_RATE_LIMIT_ENABLED = True
        settings.NEWSROOM_RATE_LIMITS = {
            **settings.NEWSROOM_RATE_LIMITS,
            "digest-subscribe": "2/600",
        }
        for n in range(2):
            client.post(subscribe_url(), {"email": f"r{n}@example.org", "daily": "on"})
        refused = client.post(subscribe_url(), {"email": "r9@example.org", "daily": "on"})
        assert refused.status_code == 429 and refused["Retry-After"]
        assert "طلبات كثيرة" in refused.content.decode()

    def test_one_address_gets_few_confirmations_a_day(self, client, smtp, settings):
        settings.NEWSROOM_DIGEST_CONFIRMATIONS_PER_DAY = 2
        for _ in range(4):
            response = client.post(subscribe_url(), {"email": "victim@example.org", "daily": "on"})
            assert response.status_code == 302  # the same answer: nothing is revealed
        assert len(smtp.to("victim@example.org")) == 2

    def test_mail_server_down_tells_the_reader_and_keeps_the_address(self, client, smtp_settings):
        response = client.post(subscribe_url(), {"email": "reader@example.org", "daily": "on"})
        page = response.content.decode()
        assert response.status_code == 400
        assert "تعذّر علينا إرسال رسالة التأكيد الآن" in page and "reader@example.org" in page


class TestUnsubscribe:
    def test_one_click_post_from_a_mail_program_needs_no_csrf_token(self):
        subscriber = Subscriber.objects.create(email="reader@example.org")
        url = reverse("digests:unsubscribe", kwargs={"token": subscriber.token})
        client = Client(enforce_csrf_checks=True)
        assert client.get(url).status_code == 200  # a link scanner: nothing happens
        assert Subscriber.objects.exists()
        response = client.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200 and "أُلغي اشتراكك" in response.content.decode()
        assert not Subscriber.objects.exists()

    def test_unknown_token_gets_the_same_answer(self, client):
        Subscriber.objects.create(email="reader@example.org")
        response = client.post(reverse("digests:unsubscribe", kwargs={"token": "a" * 43}))
        assert response.status_code == 200 and "أُلغي اشتراكك" in response.content.decode()
        assert Subscriber.objects.count() == 1

    @pytest.mark.parametrize("method", ["get", "post"])
    @pytest.mark.parametrize("token", ["nope", "a\x00" * 20, "a" * 65])
    def test_a_link_cut_short_or_mistyped_is_said_to_be(self, client, method, token):
        subscriber = Subscriber.objects.create(email="reader@example.org")
        url = reverse("digests:unsubscribe", kwargs={"token": token})
        response = getattr(client, method)(url)
        page = response.content.decode()
        assert response.status_code == 400 and "رابط إلغاء الاشتراك ناقص" in page
        assert "أُلغي اشتراكك" not in page and 'name="List-Unsubscribe"' not in page
        assert Subscriber.objects.filter(pk=subscriber.pk).exists()

    @pytest.mark.parametrize("email", ["a\x00b@example.org", "x" * 300 + "@example.org"])
    def test_odd_addresses_are_refused_at_the_field(self, client, smtp, email):
        response = client.post(subscribe_url(), {"email": email, "daily": "on"})
        assert response.status_code == 400 and smtp.messages == []

    def test_confirmation_links_with_odd_bytes_are_refused(self, client):
        assert client.get("/ar/newsletter/confirm/a%00b/").status_code == 400

    def test_footer_links_to_the_subscription_page(self, client):
        assert subscribe_url() in client.get(reverse("articles:corrections")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_make_one_row():
    from digests import services
    from tests.counters.concurrency import in_threads

    data = {"e": "Reader@Example.org", "d": True, "b": False}
    in_threads(4, lambda index: services.confirm(data))
    assert Subscriber.objects.get().email == "reader@example.org"


def test_the_desk_adds_a_subscriber_with_arabic_errors(admin_client):
    """The table's rules (one row per address whatever its case, at least one newsletter)
    said in Arabic on the form: Django named the violated constraint, in English."""
    Subscriber.objects.create(email="reader@example.com", daily=True)
    with translation.override("ar"):
        url = reverse("admin:digests_subscriber_add")
    taken = admin_client.post(url, {"email": "Reader@Example.com", "daily": "on"})
    assert taken.status_code == 200 and "هذا العنوان مشترك من قبل" in taken.content.decode()
    nothing = admin_client.post(url, {"email": "new@example.com"})
    assert "اختر النشرة اليومية أو الأخبار العاجلة أو كليهما" in nothing.content.decode()
    assert "Constraint" not in taken.content.decode() + nothing.content.decode()
    assert admin_client.post(url, {"email": "new@example.com", "breaking": "on"}).status_code == 302
    assert Subscriber.objects.count() == 2
