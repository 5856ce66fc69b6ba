"""The view counter in a real browser: the page counts through static/js/view-counter.js,
and a reader without JavaScript is counted by the <noscript> pixel."""

import pytest

from counters.models import ArticleViewDay
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Headless chromium announces itself as HeadlessChrome, which the counter treats as a bot.
READER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def stored(article):
    return sum(ArticleViewDay.objects.filter(article=article).values_list("views", flat=True))


def test_page_counts_once_and_shows_the_new_total(live_server, browser, screenshot_dir):
    article = make_article("خبر للعد", view_count=7529)
    context = browser.new_context(user_agent=READER_UA)
    page = context.new_page()
    try:
        page.goto(live_server.url + article.get_absolute_url())
        label = page.locator(".meta-views")
        label.filter(has_text="7530 مشاهدة").wait_for(timeout=5000)
        page.reload()
        page.wait_for_load_state("networkidle")
        assert label.inner_text() == "7530 مشاهدة"  # same reader inside the window
        page.screenshot(path=screenshot_dir / "counted.png")
    finally:
        context.close()
    assert stored(article) == 1


@pytest.mark.parametrize(
    ("language", "before", "after", "shown"),
    [
        ("ar", 2, 3, "3 مشاهدات"),
        ("ar", 10, 11, "11 مشاهدة"),
        ("en", 0, 1, "1 view"),
        ("ar", 1999, 2000, "2000 مشاهدة"),
        ("en", 1999, 2000, "2,000 views"),  # English groups thousands, as the server does
    ],
)
def test_the_new_total_takes_the_noun_its_number_needs(
    live_server, browser, language, before, after, shown
):
    """The script put the new number into the old label: «2 مشاهدة» became «3 مشاهدة»
    (Arabic says «3 مشاهدات»), «0 views» became «1 views»."""
    from django.utils import translation

    article = make_article("خبر للعد", view_count=before, title_en="A story to count")
    with translation.override(language):
        url = article.get_absolute_url()
    context = browser.new_context(user_agent=READER_UA)
    page = context.new_page()
    try:
        page.goto(live_server.url + url)
        page.locator(".meta-views").filter(has_text=shown).wait_for(timeout=5000)
        assert page.locator(".meta-views").inner_text() == shown
    finally:
        context.close()


def test_reader_without_javascript_is_counted_by_the_pixel(live_server, browser):
    article = make_article("خبر بلا جافاسكربت", view_count=10)
    context = browser.new_context(user_agent=READER_UA + " nojs", java_script_enabled=False)
    page = context.new_page()
    try:
        with page.expect_response(lambda r: r.url.endswith("pixel.gif")) as pixel:
            page.goto(live_server.url + article.get_absolute_url())
        assert pixel.value.status == 200
    finally:
        context.close()
    assert stored(article) == 1


def test_headless_browser_is_not_counted(live_server, page):
    article = make_article("خبر للروبوت")
    with page.expect_response(lambda r: "/api/views/" in r.url) as answer:
        page.goto(live_server.url + article.get_absolute_url())
    assert answer.value.json() == {"counted": False, "reason": "bot"}
    assert stored(article) == 0
