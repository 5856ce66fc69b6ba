import pytest

from articles.models import Author
from tests.factories import image_upload, make_article, make_author, make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_follows_home_to_article_rtl(live_server, page, screenshot_dir):
    archive = make_section("من الأرشيف")
    team = make_author("فريق ماسة", kind=Author.Kind.TEAM)
    article = make_article(
        "تجربة القراءة من اليمين إلى اليسار",
        section=archive,
        authors=[team],
        source="الماسة السورية",
        view_count=7529,
        body_ar="<p>فقرة أولى من نص الخبر تكفي لملء سطر أو سطرين في الصفحة.</p>",
        image=image_upload(size=(1200, 700)),
        image_caption_ar="صورة توضيحية",
    )
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    page.screenshot(path=screenshot_dir / "home.png", full_page=True)

    page.get_by_role("link", name=article.title).first.click()
    page.wait_for_load_state()
    assert page.locator("h1.article-title").inner_text() == article.title
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Right to left: the title's right edge hugs the content's right edge.
    title = page.locator("h1.article-title").bounding_box()
    main = page.locator("main").bounding_box()
    assert abs((main["x"] + main["width"]) - (title["x"] + title["width"])) < 40
    assert page.get_by_text("المصدر : الماسة السورية").is_visible()
    image = page.locator(".lead-image img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=screenshot_dir / "article.png", full_page=True)
    assert (screenshot_dir / "article.png").stat().st_size > 10_000


def test_the_language_a_reader_chooses_opens_the_site_next_time(live_server, page):
    """The switch's choice is remembered for the bare domain («/»), both ways."""
    article = make_article("خبر بلغتين", title_en="A story in two languages")
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(".language-switch a[hreflang=en]").click()
    page.wait_for_url("**/en/news/**")
    page.goto(live_server.url + "/")
    assert page.url == live_server.url + "/en/"
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".language-switch a[hreflang=ar]").click()
    page.wait_for_url("**/ar/")
    page.goto(live_server.url + "/")
    assert page.url == live_server.url + "/ar/"
