"""A reader comments in real Chromium: a missing field, the Arabic error, the kept text."""

import pytest

from comments.models import ReaderComment
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_fixes_a_missing_field_and_posts(live_server, page, screenshot_dir, settings):
    settings.NEWSROOM_COMMENTS_MIN_SECONDS = 0  # a script types faster than any reader
    article = make_article("خبر يعلق عليه القراء", body_ar="<p>فقرة من نص الخبر.</p>")
    ReaderComment.objects.create(
        content_object=article, user_name="قارئ دائم", user_email="known@example.com",
        comment="تعليق سابق منشور", is_public=True,
    )  # fmt: skip
    page.goto(live_server.url + article.get_absolute_url())
    form = page.locator("#comment-form")
    form.get_by_label("الاسم").fill("سلمى")
    form.get_by_label("التعليق").fill("تعليق كتبته في المتصفح ولا أريد أن أفقده")
    with page.expect_navigation():
        form.get_by_role("button", name="أرسل التعليق").click()

    # Back with the Arabic message at the email field, and everything typed kept.
    email_error = page.locator(".field-email .errorlist")
    assert email_error.inner_text() == "الرجاء كتابة بريدك الإلكتروني."
    assert email_error.is_visible()
    assert page.url.endswith("#comment-form")
    assert form.get_by_label("الاسم").input_value() == "سلمى"
    assert form.get_by_label("التعليق").input_value() == "تعليق كتبته في المتصفح ولا أريد أن أفقده"
    assert page.evaluate("document.activeElement.name") == "email"  # static/js/form-errors.js
    assert (
        page.evaluate("getComputedStyle(document.querySelector('#comment-form')).direction")
        == "rtl"
    )
    page.screenshot(path=screenshot_dir / "missing-email.png", full_page=True)

    form.get_by_label("البريد الإلكتروني").fill("salma@example.com")
    with page.expect_navigation():
        form.get_by_role("button", name="أرسل التعليق").click()
    status = page.locator("#comment-status")
    assert "تعليقك بانتظار المراجعة" in status.inner_text()
    assert status.is_visible()
    assert page.url.endswith("#comment-status")
    page.screenshot(path=screenshot_dir / "awaiting-moderation.png", full_page=True)
    assert ReaderComment.objects.filter(user_email="salma@example.com", is_public=False).exists()

    # A reader whose address is known is published at once and lands on the comment.
    form.get_by_label("الاسم").fill("قارئ دائم")
    form.get_by_label("البريد الإلكتروني").fill("known@example.com")
    form.get_by_label("التعليق").fill("تعليق ثان يظهر فورًا")
    with page.expect_navigation():
        form.get_by_role("button", name="أرسل التعليق").click()
    comment = ReaderComment.objects.get(comment="تعليق ثان يظهر فورًا")
    assert page.url.endswith(f"#c{comment.pk}")
    shown = page.locator(f"#c{comment.pk}")
    assert shown.is_visible() and "تعليق ثان يظهر فورًا" in shown.inner_text()
    assert "نُشر تعليقك" in page.locator("#comment-status").inner_text()
    assert "known@example.com" not in page.content()
    page.screenshot(path=screenshot_dir / "published.png", full_page=True)
    assert (screenshot_dir / "published.png").stat().st_size > 10_000


def test_a_form_refused_as_a_whole_takes_the_focus_to_its_message(live_server, page, settings):
    """Sent faster than a person types: only the form's own message, which nobody heard (the
    focus stayed on the page's start)."""
    settings.NEWSROOM_COMMENTS_MIN_SECONDS = 3600
    article = make_article("خبر للتعليق السريع")
    page.goto(live_server.url + article.get_absolute_url())
    form = page.locator("#comment-form")
    form.get_by_label("الاسم").fill("سلمى")
    form.get_by_label("البريد الإلكتروني").fill("salma@example.com")
    form.get_by_label("التعليق").fill("تعليق أُرسل بسرعة")
    with page.expect_navigation():
        form.get_by_role("button", name="أرسل التعليق").click()
    page.wait_for_function("() => document.activeElement.classList.contains('form-errors')")
    assert "أسرع" in page.evaluate("document.activeElement.textContent")
    assert form.get_by_label("التعليق").input_value() == "تعليق أُرسل بسرعة"
