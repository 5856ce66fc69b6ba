"""Links that never break, in real Chromium: an editor renames a published article's slug in
the desk, opens the old address and lands on the new one; the redirect manager and the SEO
fields pass axe, and the meta description is counted as it is typed."""

import pytest

from articles.models import Article
from tests.browser.accessibility import axe_violations
from tests.browser.desk import sign_in
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_renames_an_article_and_the_old_address_follows(live_server, page):
    article = make_article("خبر عن سوق الحميدية", slug="souq-old")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))  # CSP refusals
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/ar/admin/articles/article/{article.pk}/change/")
    # The SEO fields: the meta description is counted as the editor types.
    field = page.locator("#id_meta_description_ar")
    field.fill("وصف قصير")
    counter = page.locator("#id_meta_description_ar_counter")
    assert "٨" in counter.inner_text() or "8" in counter.inner_text(), counter.inner_text()
    field.fill("و" * 170)
    assert "seo-counter-long" in counter.get_attribute("class")
    field.fill("وصف الخبر لمحركات البحث")
    assert axe_violations(page) == []
    page.fill("#id_slug", "souq-new")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1, page.content()[:3000]
    assert Article.objects.get(pk=article.pk).slug == "souq-new"
    page.context.clear_cookies()  # a reader, not the desk
    page.goto(f"{live_server.url}/ar/news/souq-old/")
    assert page.url == f"{live_server.url}/ar/news/souq-new/"
    assert page.locator("h1").first.inner_text() == "خبر عن سوق الحميدية"
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description == "وصف الخبر لمحركات البحث"
    assert errors == []


def test_redirect_manager_passes_axe_and_refuses_a_loop(live_server, page):
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/ar/admin/redirects/redirect/")
    assert axe_violations(page) == []
    page.click("text=استيراد CSV")
    page.wait_for_load_state()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/ar/admin/redirects/redirect/add/")
    assert axe_violations(page) == []
    page.fill("#id_old_path", "/ar/old-loop/")
    page.fill("#id_url", "/ar/old-loop")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert "حلقة" in page.locator(".errorlist").first.inner_text()
    assert axe_violations(page) == []
    page.fill("#id_url", "/ar/")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1
    page.goto(f"{live_server.url}/ar/old-loop/")
    assert page.url == f"{live_server.url}/ar/"
    assert errors == []
