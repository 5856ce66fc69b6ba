"""The English edition (issue 16): Arabic-only articles are marked as Arabic, right to left,
on English pages; English listings label them, or leave them out (NEWSROOM_EN_SHOWS_ARABIC)."""

import re

import pytest
from django.utils import translation

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def english(obj):
    with translation.override("en"):
        return obj.get_absolute_url()


def arabic(obj):  # a request leaves its language active in the test's thread: say which
    with translation.override("ar"):
        return obj.get_absolute_url()


@pytest.fixture
def edition():
    section = make_section("محليات", name_en="Local")
    arabic = make_article("خبر بالعربية فقط", section=section, lead_ar="مقدمة عربية")
    both = make_article(
        "خبر مترجم", section=section, title_en="A translated story", body_en="<p>English.</p>"
    )
    return {"section": section, "arabic": arabic, "both": both}


def test_an_arabic_only_article_on_the_english_side_reads_right_to_left(client, edition):
    html = client.get(english(edition["arabic"])).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert re.search(r'<h1 class="article-title"[^>]* lang="ar" dir="rtl"', html)
    assert re.search(r'<p class="article-lead" lang="ar" dir="rtl">مقدمة عربية', html)
    assert re.search(r'<div class="article-body"[^>]* lang="ar" dir="rtl">', html)
    assert "This article is in Arabic only." in html


def test_a_translated_article_is_not_marked(client, edition):
    html = client.get(english(edition["both"])).content.decode()
    own = html.split("<main", 1)[1].split("</main>")[0].split('class="related"')[0]
    assert 'lang="ar" dir="rtl"' not in own  # (a related Arabic-only title is marked)
    arabic_page = client.get(arabic(edition["arabic"])).content.decode()
    assert "arabic-only" not in arabic_page


def test_english_listings_label_arabic_only_articles(client, edition):
    html = client.get(english(edition["section"])).content.decode()
    assert "A translated story" in html and "خبر بالعربية فقط" in html
    card = html[html.index("خبر بالعربية فقط") - 400 : html.index("خبر بالعربية فقط") + 400]
    # The title is marked Arabic; the card's byline, date and «In Arabic» are the page's.
    assert 'lang="ar" dir="rtl">خبر بالعربية فقط</a>' in card and "In Arabic" in card
    assert 'class="card" lang=' not in card


def test_english_listings_can_leave_them_out(client, edition, settings):
    settings.NEWSROOM_EN_SHOWS_ARABIC = False
    html = client.get(english(edition["section"])).content.decode()
    assert "A translated story" in html and "خبر بالعربية فقط" not in html
    home = client.get("/en/").content.decode()
    assert "خبر بالعربية فقط" not in home
    in_arabic = client.get(arabic(edition["section"])).content.decode()
    assert "خبر بالعربية فقط" in in_arabic and "خبر مترجم" in in_arabic
