import pytest

from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_header_search_then_copy_the_short_link(live_server, page, screenshot_dir):
    article = make_article(
        "ترحيل الأجانب من المدينة",
        lead_ar="قرار جديد بشأن الإقامة",
        body_ar="<p>قالت الحكومة إن القرار يشمل جميع المقيمين الأجانب.</p>",
    )
    make_article("خبر عن الطقس")
    page.goto(live_server.url + "/ar/")
    page.get_by_role("searchbox", name="ابحث في الموقع").fill("الاجانب")
    page.get_by_role("searchbox", name="ابحث في الموقع").press("Enter")
    page.wait_for_load_state()
    assert page.locator(".search-result").count() == 1
    assert page.locator(".search-result mark").first.inner_text() == "الأجانب"
    page.screenshot(path=screenshot_dir / "search.png", full_page=True)

    page.locator(".search-result a").first.click()
    page.wait_for_load_state()
    share = page.locator("#share-link")
    assert share.input_value() == f"{live_server.url}/a/{article.pk}"
    button = page.get_by_role("button", name="انسخ الرابط")
    assert button.is_visible()  # revealed by static/js/share.js
    button.click()
    page.wait_for_function(
        "document.querySelector('.share-status').textContent.length > 0", timeout=5000
    )
    assert page.locator(".share-status").inner_text() == "نُسخ الرابط"
    page.goto(share.input_value())
    assert page.locator("h1.article-title").inner_text() == article.title
    page.screenshot(path=screenshot_dir / "article-share.png", full_page=True)
