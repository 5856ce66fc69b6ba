"""A reader subscribes in Chromium, confirms from the email the local SMTP server received,
gets one digest from two send_digest runs, and unsubscribes from the email's link."""

import re

import pytest
from django.core.management import call_command

from digests.models import Subscriber
from tests.digests.conftest import Inbox, running_smtp, use_local_smtp
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail(live_server, settings):
    use_local_smtp(settings, origin=live_server.url)
    with running_smtp(settings.EMAIL_PORT) as inbox:
        yield inbox


def test_subscribe_confirm_receive_once_unsubscribe(
    live_server, page, screenshot_dir, mail: Inbox, settings
):
    settings.NEWSROOM_DIGEST_HOUR = 0
    make_article("المجلس يقرّ الموازنة", is_featured=True)

    page.goto(live_server.url + "/ar/")
    with page.expect_navigation():
        page.get_by_role("link", name="النشرة البريدية").click()
    form = page.locator(".newsletter-form")
    form.get_by_label("بريدك الإلكتروني").fill("not-an-address")
    with page.expect_navigation():
        form.get_by_role("button", name="اشترك").click()
    assert "عنوان البريد الإلكتروني هذا غير صالح." in page.locator(".errorlist").inner_text()
    assert form.get_by_label("بريدك الإلكتروني").input_value() == "not-an-address"
    page.wait_for_function("() => document.activeElement.name === 'email'")  # form-errors.js
    form.get_by_label("بريدك الإلكتروني").fill("reader@example.org")
    form.get_by_label("الأخبار العاجلة").check()
    page.screenshot(path=screenshot_dir / "subscribe.png", full_page=True)
    with page.expect_navigation():
        form.get_by_role("button", name="اشترك").click()
    assert page.locator("h1").inner_text() == "تفقّد بريدك الإلكتروني"
    assert not Subscriber.objects.exists()

    (confirmation,) = mail.to("reader@example.org")
    link = re.search(r"http://\S+/confirm/\S+/", mail.text(confirmation))[0]
    page.goto(link)
    with page.expect_navigation():
        page.get_by_role("button", name="تأكيد").click()
    assert page.locator("h1").inner_text() == "تأكّد اشتراكك"
    subscriber = Subscriber.objects.get()
    assert (subscriber.daily, subscriber.breaking) == (True, True)

    for _ in range(2):
        call_command("send_digest", stdout=open("/dev/null", "w"))
    digests = mail.to("reader@example.org")[1:]
    assert len(digests) == 1
    html = mail.html(digests[0])
    assert "المجلس يقرّ الموازنة" in html
    unsubscribe = digests[0]["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe in html

    page.goto(unsubscribe)
    with page.expect_navigation():
        page.get_by_role("button", name="إلغاء الاشتراك").click()
    assert page.locator("h1").inner_text() == "أُلغي اشتراكك"
    assert not Subscriber.objects.exists()
