"""The admin works in a real browser under the site's strict Content-Security-Policy."""

import pytest

from tests.factories import make_article, make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "نخلة-دمشق-2026-ليلكية"


def test_admin_sign_in_and_edit_under_csp(live_server, page, screenshot_dir, django_user_model):
    django_user_model.objects.create_superuser("chief", password=PASSWORD)
    make_article("خبر يحرره المحرر", section=make_section("سياسة"))
    violations, errors = [], []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(live_server.url + "/ar/admin/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#user-tools").is_visible()

    page.goto(live_server.url + "/ar/admin/articles/article/")
    page.get_by_role("link", name="خبر يحرره المحرر").click()
    page.wait_for_load_state()
    # The admin's JavaScript ran: the translation tabs and the inline "add another" row.
    assert page.evaluate("typeof django !== 'undefined' && typeof django.jQuery === 'function'")
    assert page.locator(".add-row a, a.addlink, .inline-group").count() > 0
    page.screenshot(path=screenshot_dir / "article-change.png", full_page=True)
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1

    # The reading side too: the article page with its comment form and scripts.
    page.goto(live_server.url + "/ar/")
    page.get_by_role("link", name="خبر يحرره المحرر").first.click()
    page.wait_for_load_state()
    page.screenshot(path=screenshot_dir / "article.png", full_page=True)

    assert violations == [], violations
    assert errors == []
