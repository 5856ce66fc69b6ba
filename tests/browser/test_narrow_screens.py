"""A phone's width (390 CSS pixels): no page is wider than the screen, so a reader never
scrolls sideways to reach the header, the menu or the text, and nothing hidden on purpose
(the skip link, the comment form's trap for robots) sits beside the page, where a phone
widens the page to show it."""

import pytest
from django.utils import timezone

from tests.factories import make_article, make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def overflow(page) -> list[str]:
    """The elements reaching past the screen's edges (empty when the page fits)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth, found = [];
            for (const el of document.querySelectorAll('body *')) {
                const box = el.getBoundingClientRect();
                if (!box.width || getComputedStyle(el).position === 'fixed') continue;
                if (el.closest('[hidden]')) continue;
                if (box.left < -1 || box.right > width + 1)
                    found.push(`${el.tagName.toLowerCase()}.${el.className}: ` +
                               `${Math.round(box.left)}..${Math.round(box.right)} of ${width}`);
            }
            return found.slice(0, 10);
        }"""
    )


def line_starting_bullets(page, selector=".article-meta") -> list[str]:
    """The list's items that start a line yet show a bullet before them: the bullet is drawn
    inside the item (static), or outside it where the list does not clip it."""
    return page.evaluate(
        """(selector) => {
            const list = document.querySelector(selector);
            const rtl = getComputedStyle(list).direction === 'rtl';
            const whole = list.getBoundingClientRect(), edge = rtl ? whole.right : whole.left;
            const clipped = getComputedStyle(list).clipPath !== 'none';
            const items = [...list.children], found = [];
            items.forEach((item, i) => {
                const box = item.getBoundingClientRect();
                const start = rtl ? box.right : box.left;
                if (i === 0 || Math.abs(start - edge) > 1) return;  // not first on its line
                const bullet = getComputedStyle(item, '::before');
                if (bullet.content === 'none' || bullet.content === 'normal') return;
                const inset = parseFloat(rtl ? bullet.right : bullet.left);
                const outside = bullet.position === 'absolute' && inset < -4;
                if (!(outside && clipped)) found.push(item.textContent.trim().slice(0, 30));
            });
            return found;
        }""",
        selector,
    )


def test_pages_fit_a_phone_screen(live_server, browser):
    section = make_section("من الأرشيف")
    for n in range(12):
        make_section(f"قسم طويل الاسم رقم {n}")
    article = make_article(
        "عنوان طويل جدا لخبر يمتد على أكثر من سطر على شاشة الهاتف الضيقة",
        section=section,
        source="الماسة السورية",
        # an address pasted as text: 160 characters without a space or a hyphen
        body_ar=f"<p>فقرة من نص الخبر.</p><p>المصدر: https://example.sy/{'abcdefghij' * 16}</p>",
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        month = timezone.localtime(article.published_at)
        paths = ("/", "/en/", article.get_absolute_url(), section.get_absolute_url(),
                 "/ar/search/?q=خبر",
                 # the month's calendar: seven columns of day names («Wednesday» in English)
                 f"/ar/archive/{month.year}/{month.month}/",
                 f"/en/archive/{month.year}/{month.month}/")  # fmt: skip
        for path in paths:
            page.goto(live_server.url + path)
            scroll = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll[0] <= scroll[1], (path, scroll, overflow(page))
            assert overflow(page) == [], path
        # The article's meta wraps; no line of it starts with a bullet.
        page.goto(live_server.url + article.get_absolute_url())
        assert page.evaluate("document.querySelectorAll('.article-meta > li').length") >= 3
        assert line_starting_bullets(page) == [], line_starting_bullets(page)
        assert line_starting_bullets(page, ".footer-links") == []  # the footer's links too
        # The skip link, hidden above the page, comes into view at the first Tab.
        page.goto(live_server.url + "/")
        page.keyboard.press("Tab")
        link = page.locator(".skip-link")
        assert link.evaluate("el => el === document.activeElement")
        box = link.bounding_box()
        assert box["y"] >= 0 and 0 <= box["x"] and box["x"] + box["width"] <= 390, box
    finally:
        context.close()
