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
        "() => document.querySelector('.share-status').textContent.length > 0", timeout=5000
    )
    assert page.locator(".share-status").inner_text() == "نُسخ الرابط"
    page.goto(share.input_value())
    assert page.locator("h1.article-title").inner_text() == article.title
    page.screenshot(path=screenshot_dir / "article-share.png", full_page=True)


def test_a_shared_search_pages_on_and_follows_new_articles(live_server, browser, screenshot_dir):
    """A search opened from a campaign link pages on without the campaign's parameters; the
    next reader gets the kept page, and a newly published article refreshes it."""
    from urllib.parse import quote

    for number in range(12):  # two pages of results
        make_article(f"قافلة مساعدات رقم {number}", body_ar="<p>وصلت القافلة إلى المدينة.</p>")
    url = f"{live_server.url}/ar/search/?q={quote('قافلة')}&utm_source=campaign"

    first = browser.new_context().new_page()
    response = first.goto(url)
    assert response.headers["x-page-cache"] == "miss"
    assert first.locator(".search-result").count() == 10
    first.get_by_role("link", name="التالي").click()
    first.wait_for_load_state()
    assert "utm_source" not in first.url and "page=2" in first.url
    assert first.locator(".search-result").count() == 2
    first.screenshot(path=screenshot_dir / "search-page-2.png", full_page=True)

    second = browser.new_context().new_page()
    assert second.goto(url).headers["x-page-cache"] == "hit"
    make_article("قافلة جديدة تصل اليوم", body_ar="<p>قافلة أخرى.</p>")
    response = second.goto(url)
    assert response.headers["x-page-cache"] == "miss"
    assert "قافلة جديدة تصل اليوم" in second.locator(".search-results").inner_text()
