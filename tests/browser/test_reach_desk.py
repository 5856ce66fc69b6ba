"""The outbox in the desk passes axe: the index with its figures and latest failure, the
deliveries list with a failure's Arabic reason, a delivery, the channel form."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from reach import outbox
from reach.models import Channel, Delivery
from tests.browser.accessibility import axe_violations
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_outbox_desk_pages_pass_axe(live_server, page):
    get_user_model().objects.create_superuser("chief", "chief@example.sy", "pw-desk-12345")
    channel = Channel.objects.create(name="قناة الأخبار", chat="@almasa_news")
    article = make_article("خبر لم يصل إلى القناة", ago=timedelta(0))
    outbox.reconcile(article.pk)
    Delivery.objects.update(status="failed", error="forbidden", attempts=1)
    make_article("خبر ينتظر", ago=timedelta(0))  # owed after its commit: waiting
    page.goto(live_server.url + "/ar/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw-desk-12345")
    page.click("input[type=submit]")
    failures = {}
    delivery = Delivery.objects.filter(status="failed").first()
    for path in (
        "/ar/admin/",
        "/ar/admin/reach/delivery/",
        f"/ar/admin/reach/delivery/{delivery.pk}/change/",
        "/ar/admin/reach/channel/",
        f"/ar/admin/reach/channel/{channel.pk}/change/",
        "/ar/admin/reach/channel/add/",
    ):
        page.goto(live_server.url + path)
        if path.endswith("/reach/delivery/"):
            assert "لا يستطيع البوت النشر في هذه القناة" in page.content()
            # At 1024 px the headline had 69 px beside the reason: a word a line.
            page.set_viewport_size({"width": 1024, "height": 768})
            widths = page.locator("#result_list .field-headline").evaluate_all(
                "cells => cells.map(cell => cell.getBoundingClientRect().width)"
            )
            assert widths and min(widths) >= 150, widths
            page.set_viewport_size({"width": 1280, "height": 900})
        if path.endswith("/add/"):
            # Choosing web push hides what only Telegram uses; choosing Telegram shows it.
            assert page.locator(".field-chat").is_visible()
            page.select_option("#id_kind", "web_push")
            assert page.locator(".field-chat").is_hidden()
            assert page.locator(".field-sections").is_hidden()
            assert page.locator(".field-breaking_only").is_visible()
        found = axe_violations(page)
        if found:
            failures[path] = found
    assert failures == {}, "\n".join(
        f"{path}: {line}" for path, lines in failures.items() for line in lines
    )
