"""An editor builds tonight's front page in Chromium: adds a block to the draft, moves it to the
top with the keyboard (up buttons, no dragging), saves, previews it as readers will see it,
publishes; a reader's home page shows it at once. The layout editor, the preview and the new
home page pass axe-core (WCAG 2.2 AA)."""

import re

import pytest

from frontpage import services
from tests.articles.desk_helpers import make_staff
from tests.browser.accessibility import axe_violations
from tests.factories import make_article, make_section
from tests.frontpage.conftest import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def headings(page) -> list[str]:
    return [text.strip() for text in page.locator("main h2.block-heading").all_inner_texts()]


def test_editor_builds_reorders_previews_publishes(live_server, browser, settings, screenshot_dir):
    settings.NEWSROOM_PAGE_CACHE_ENABLED = True
    make_staff("المحررون", username="salma")
    section = make_section("اقتصاد")
    for n in range(4):
        make_article(f"خبر اقتصادي {n}", section=section)
    draft = build(
        services.current_draft(),
        {"kind": "section", "section": section, "title_ar": "أسواق اليوم", "size": 2},
        {"kind": "picked", "title_ar": "مختارات المحرر", "size": 2},
    )
    services.publish(draft=draft)

    reader = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    reader.goto(live_server.url + "/ar/")
    assert headings(reader) == ["أسواق اليوم", "مختارات المحرر"]

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = context.new_page()
    errors = []
    desk.on("pageerror", lambda error: errors.append(str(error)))
    desk.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    try:
        desk.goto(live_server.url + "/ar/admin/login/")
        desk.fill("#id_username", "salma")
        desk.fill("#id_password", "pw-desk-12345")
        desk.click("input[type=submit]")
        desk.wait_for_load_state()
        desk.goto(live_server.url + "/ar/admin/frontpage/layout/draft/")
        assert desk.locator('html[dir="rtl"]').count() == 1
        assert axe_violations(desk) == []
        # The blocks' table fits the form at 1280 px (its size, sources and «delete» columns
        # were past the left edge).
        table = desk.locator("#blocks-group table")
        widths = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
        assert widths[0] <= widths[1] + 1, widths

        # A new block, added at the bottom, then moved to the top by keyboard.
        desk.locator("#blocks-group .add-row a").click()
        row = desk.locator("#blocks-group tr.dynamic-blocks").last
        # It is numbered where it appeared, last: saved as it is, it would stay there.
        assert row.locator("input[name$='-position']").input_value() == "3"
        row.locator("select[name$='-kind']").select_option("picked")
        row.locator("input[name$='-title_ar']").fill("عاجل الليلة")
        row.locator("input[name$='-size']").fill("1")
        up = row.locator("button.reorder-up")
        up.focus()
        desk.keyboard.press("Enter")
        assert desk.evaluate("document.activeElement.classList.contains('reorder-up')")
        desk.keyboard.press("Enter")
        status = desk.locator("#blocks-group .reorder-status")
        assert status.inner_text() == "نُقلت إلى الموضع 1 من 3."
        rows = "#blocks-group tr.form-row:not(.empty-form)"
        positions = desk.locator(f"{rows} input[name$='-position']")
        titles = desk.locator(f"{rows} input[name$='-title_ar']")
        order = [
            (titles.nth(i).input_value(), positions.nth(i).input_value())
            for i in range(titles.count())
        ]
        assert order == [("عاجل الليلة", "1"), ("أسواق اليوم", "2"), ("مختارات المحرر", "3")]
        desk.screenshot(path=screenshot_dir / "layout-editor.png", full_page=True)
        with desk.expect_navigation():
            desk.locator("input[name=_continue]").click()
        assert desk.locator(".messagelist .success").count() == 1, desk.content()[:2000]

        # The preview shows the draft; readers still see the live layout.
        with context.expect_page() as opened:
            desk.get_by_role("link", name=re.compile("عاين")).click()
        preview = opened.value
        preview.wait_for_load_state()
        assert headings(preview)[:3] == ["عاجل الليلة", "أسواق اليوم", "مختارات المحرر"]
        assert preview.locator(".preview-banner").count() == 1
        assert axe_violations(preview) == []
        reader.goto(live_server.url + "/ar/")
        assert headings(reader) == ["أسواق اليوم", "مختارات المحرر"]

        # A change not saved yet: publishing would leave it out, so the button says so.
        desk.locator(f"{rows} input[name$='-title_ar']").first.fill("تعديل لم يحفظ")
        desk.get_by_role("button", name="انشر هذه الصفحة الأولى").click()
        alert = desk.get_by_role("alert").filter(has_text="احفظ تعديلاتك أولًا")
        alert.wait_for()
        assert desk.locator(f"{rows} input[name$='-title_ar']").first.input_value() == (
            "تعديل لم يحفظ"
        )
        desk.reload()
        with desk.expect_navigation():
            desk.get_by_role("button", name="انشر هذه الصفحة الأولى").click()
        assert desk.locator(".messagelist .success").count() == 1
        assert errors == []
    finally:
        context.close()

    reader.goto(live_server.url + "/ar/")
    assert headings(reader) == ["عاجل الليلة", "أسواق اليوم", "مختارات المحرر"]
    reader.screenshot(path=screenshot_dir / "home.png", full_page=True)
    assert axe_violations(reader) == []
    reader.context.close()


def test_the_list_opens_a_section_pages_draft(live_server, page):
    """The section picker sat inside the list's own form: the browser dropped it, and its
    button sent the list's form (the page just reloaded), with a script error on every load."""
    from tests.browser.desk import sign_in

    culture = make_section("ثقافة")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server)
    page.goto(live_server.url + "/ar/admin/frontpage/layout/")
    page.select_option("#draft-section", str(culture.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="حرّر مسودتها").click()
    assert "/frontpage/layout/" in page.url and page.url.endswith("/change/"), page.url
    assert services.current_draft(culture.pk).pk == int(page.url.rstrip("/").split("/")[-2])
    assert errors == []
