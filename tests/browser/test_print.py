"""Printing an article prints the article: its text, byline, date and source, not the site's
navigation, sharing, lists, comments or footer (a short article came to four A4 pages)."""

import pytest

from tests.factories import make_article, make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_article_prints_as_the_article(live_server, page):
    article = make_article(
        "خبر للطباعة",
        section=make_section("محليات"),
        source="الماسة السورية",
        body_ar='<p>فقرة من الخبر مع <a href="https://sana.sy/">رابط</a>.</p>',
    )
    make_article("خبر آخر ذو صلة", section=article.section)
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator(".site-header").is_visible() and page.locator(".share").is_visible()
    page.emulate_media(media="print")
    for kept in (".article-title", ".article-meta", ".article-body", ".article-source"):
        assert page.locator(kept).first.is_visible(), kept
    for left in (".site-header", ".share", ".related", ".comments", ".site-footer"):
        assert page.locator(left).first.is_hidden(), left
    # a link's address is printed beside it, since paper cannot be clicked
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.article-body a'), '::after').content"
    )
    assert "sana.sy" in after, after
