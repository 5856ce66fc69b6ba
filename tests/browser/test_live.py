"""Live coverage in real Chromium: an editor posts an entry from the article's admin page and
a reader's open page offers «تحديث جديد» without a reload; pressing it inserts the entry and
keeps what the reader was reading where it was. The editor's correction, removal and restore
of entries the reader already has reach the open page at once, without a reload, and the
reading position is kept."""

import pytest

from live import services
from live.models import LiveEntry
from tests.articles.desk_helpers import make_staff
from tests.browser.accessibility import axe_violations
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRY = "الدفاع المدني يعلن فتح طريق المطار بعد إزالة الثلوج."
CORRECTION = "تصحيح: أُعيد فتح طريق المطار جزئيًا، في اتجاه واحد. " * 6


def watch_errors(page, errors):
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on(
        "response",
        lambda r: (
            r.status >= 400 and "favicon" not in r.url and errors.append(f"{r.status} {r.url}")
        ),
    )


def test_editor_posts_and_the_open_reader_page_offers_it(
    live_server, browser, settings, screenshot_dir
):
    settings.NEWSROOM_LIVE_POLL_MS = 500  # the shortest live.js accepts: the waits end sooner
    settings.NEWSROOM_LIVE_QUIET_POLLS = 1000  # one pace throughout (the slowing: below)
    article = make_article("مباشر: العاصفة الثلجية في دمشق")
    coverage = services.start_coverage(article=article)
    for n in range(12):
        services.post_entry(coverage=coverage, body=f"تحديث سابق رقم {n}: " + "نص التحديث " * 30)
    make_staff("المحررون", username="editor")
    errors = []

    reader_context = browser.new_context(viewport={"width": 1280, "height": 800})
    reader = reader_context.new_page()
    watch_errors(reader, errors)
    desk_context = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = desk_context.new_page()
    watch_errors(desk, errors)
    try:
        reader.goto(live_server.url + article.get_absolute_url())
        assert reader.locator("html").get_attribute("dir") == "rtl"
        assert reader.locator(".article .live-badge").first.inner_text() == "مباشر"
        assert reader.locator(".live-entry").count() == 12
        reader.evaluate("document.fonts.ready.then(() => true)")
        # The reader scrolls down into the entries and reads one of the older ones.
        reading_id = reader.locator(".live-entry").nth(6).get_attribute("id")
        reading = reader.locator(f"#{reading_id}")  # that entry, wherever it is in the list
        reading.scroll_into_view_if_needed()
        reader.evaluate("window.scrollBy(0, 100)")
        before = reading.bounding_box()["y"]

        desk.goto(live_server.url + "/ar/admin/login/")
        desk.fill("#id_username", "editor")
        desk.fill("#id_password", "pw-desk-12345")
        desk.click("input[type=submit]")
        desk.goto(live_server.url + f"/ar/admin/articles/article/{article.pk}/change/")
        desk.fill("#live-body", ENTRY)
        desk.click(".live-desk-post")
        desk.locator(".live-desk-entries li").first.filter(has_text=ENTRY).wait_for(timeout=10000)
        assert desk.locator("#live-body").input_value() == ""  # ready for the next one
        desk.screenshot(path=screenshot_dir / "desk-live-panel.png", full_page=True)
        assert axe_violations(desk) == []
        assert LiveEntry.objects.filter(body__contains="الدفاع المدني").count() == 1

        notice = reader.locator(".live-notice")
        notice.filter(has_text="تحديث جديد").wait_for(state="visible", timeout=15000)
        assert reader.locator(".live-entry").count() == 12  # offered, not pushed in
        assert abs(reading.bounding_box()["y"] - before) < 2
        reader.screenshot(path=screenshot_dir / "reader-notice.png")
        assert axe_violations(reader) == []
        notice.click()
        assert reader.locator(".live-entry").count() == 13
        assert ENTRY in reader.locator(".live-entry").first.inner_text()
        assert notice.is_hidden()
        # asked for, the new entry is brought into view with the focus (the button is gone:
        # the focus fell to the page's start, or stayed on an entry out of sight)
        focused = reader.evaluate("document.activeElement.className")
        assert "live-entry" in focused and ENTRY in reader.evaluate(
            "document.activeElement.innerText"
        ), focused
        box = reader.locator(".live-entry").first.bounding_box()
        assert 0 <= box["y"] < 800, box
        # The reader goes back to the entry being read.
        reading.scroll_into_view_if_needed()
        reader.evaluate("window.scrollBy(0, 100)")
        before = reading.bounding_box()["y"]

        # The editor corrects an entry above the one being read: it changes in place.
        reader.evaluate("window.notReloaded = true")
        order = reader.locator(".live-entry").evaluate_all("els => els.map(e => e.id)")
        corrected_id, removed_id = order[2], order[3]
        assert order.index(reading_id) > 3
        desk.goto(live_server.url + f"/ar/admin/live/liveentry/{corrected_id[6:]}/change/")
        desk.fill("#id_body", CORRECTION)
        desk.click("input[name=_save]")
        corrected = reader.locator(f"#{corrected_id}")
        corrected.filter(has_text="تصحيح: أُعيد فتح طريق المطار").wait_for(timeout=15000)
        assert "عُدّل" in corrected.inner_text()
        assert reader.locator(".live-entry").evaluate_all("els => els.map(e => e.id)") == order
        assert abs(reading.bounding_box()["y"] - before) < 2

        # Removed from the desk's panel: gone from the open page; restored: back in its place.
        desk.goto(live_server.url + f"/ar/admin/articles/article/{article.pk}/change/")
        desk.locator(f"#desk-{removed_id} button", has_text="حذف").click()
        reader.locator(f"#{removed_id}").wait_for(state="detached", timeout=15000)
        assert reader.locator(".live-entry").count() == 12
        # the removed entry stays in the panel, marked, in full contrast (dimmed, it failed);
        # marked when the desk's answer arrives, which may come after the reader's poll
        desk.locator(f"#desk-{removed_id}.is-removed").wait_for(timeout=15000)
        assert axe_violations(desk) == []
        assert abs(reading.bounding_box()["y"] - before) < 2
        desk.locator(f"#desk-{removed_id} button", has_text="استعادة").click()
        reader.locator(f"#{removed_id}").wait_for(state="attached", timeout=15000)
        assert reader.locator(".live-entry").evaluate_all("els => els.map(e => e.id)") == order
        assert abs(reading.bounding_box()["y"] - before) < 2
        assert reader.evaluate("window.notReloaded") is True
        assert notice.is_hidden()
        assert axe_violations(reader) == []

        # Ending the coverage reaches the open page too.
        desk.click(".live-desk-end button")
        reader.locator(".live-ended").wait_for(state="visible", timeout=15000)
        assert "انتهت التغطية المباشرة" in reader.locator(".live-ended").inner_text()
    finally:
        reader_context.close()
        desk_context.close()
    assert errors == []


def test_a_quiet_coverage_is_asked_less_often_until_the_next_news(live_server, browser, settings):
    """A phone on a quiet coverage asked every 1.5 s, 40 times a minute, however long."""
    import time

    settings.NEWSROOM_LIVE_POLL_MS = 500
    settings.NEWSROOM_LIVE_QUIET_POLLS = 2  # 0.5 s twice, then 1 s twice, then 2 s, 4 s…
    article = make_article("مباشر: هدوء على الجبهة")
    coverage = services.start_coverage(article=article)
    services.post_entry(coverage=coverage, body="لا جديد حتى الآن.")
    context = browser.new_context()
    page = context.new_page()
    asked = []
    page.on("request", lambda request: "/updates/" in request.url and asked.append(time.time()))
    try:
        page.goto(live_server.url + article.get_absolute_url())
        page.wait_for_timeout(8000)  # (Playwright's wait: the page's requests are seen meanwhile)
        quiet = len(asked)
        assert 3 <= quiet <= 9, quiet  # at one pace it would be about 16
        services.post_entry(coverage=coverage, body="خبر جديد بعد الهدوء.")
        page.locator(".live-notice").wait_for(state="visible", timeout=15000)
        after_news = len(asked)
        page.wait_for_timeout(2500)
        assert len(asked) - after_news >= 3, asked  # at the first pace again after news
    finally:
        context.close()
