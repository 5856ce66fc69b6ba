"""The breaking-news ticker («عاجل») on every public page: breaking articles of the last
NEWSROOM_BREAKING_HOURS, page-cached, refreshed when the flag or the article changes."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def ticker(response):
    html = response.content.decode()
    if 'class="breaking-ticker"' not in html:
        return None
    return html.split('class="breaking-ticker"')[1].split("</div>\n</div>")[0]


@pytest.fixture
def pages():
    section = make_section("محليات")
    plain = make_article("خبر عادي", section=section)
    with translation.override("ar"):
        home = reverse("articles:home")
    return {
        "home": home,
        "section": section.get_absolute_url(),
        "article": plain.get_absolute_url(),
        "section_obj": section,
    }


def test_a_breaking_article_is_on_every_page(pages, settings):
    breaking = make_article("انفجار في المرفأ", is_breaking=True, ago=timedelta(hours=1))
    make_article(
        "عاجل قديم", is_breaking=True, ago=timedelta(hours=settings.NEWSROOM_BREAKING_HOURS + 1)
    )
    make_article("مسودة عاجلة", is_breaking=True, published=False)
    reader = Client()
    for name in ("home", "section", "article"):
        shown = ticker(reader.get(pages[name]))
        assert shown is not None, name
        assert "عاجل" in shown and "انفجار في المرفأ" in shown
        assert breaking.get_absolute_url() in shown
        assert "عاجل قديم" not in shown and "مسودة عاجلة" not in shown


def test_a_headline_typed_with_its_label_is_not_told_twice(pages):
    """The ticker and the home page's breaking list say «عاجل» themselves."""
    article = make_article("عاجل: انفجار في المرفأ", is_breaking=True, ago=timedelta(hours=1))
    reader = Client()
    home = reader.get(pages["home"]).content.decode()
    shown = ticker(reader.get(pages["section"]))
    assert ">انفجار في المرفأ</a>" in shown and "عاجل: انفجار" not in shown
    breaking_list = home.split('class="breaking"')[1].split("</section>")[0]
    assert ">انفجار في المرفأ</a>" in breaking_list and "عاجل: انفجار" not in breaking_list
    # The article's own page keeps its headline as the editor typed it.
    own = reader.get(article.get_absolute_url()).content.decode()
    assert "<h1" in own and "عاجل: انفجار في المرفأ</h1>" in own


def test_no_breaking_news_no_ticker(pages):
    assert ticker(Client().get(pages["home"])) is None


def test_cached_pages_follow_the_flag_and_the_article(pages):
    reader = Client()
    assert reader.get(pages["article"])["X-Page-Cache"] == "miss"
    assert reader.get(pages["article"])["X-Page-Cache"] == "hit"
    news = make_article("زلزال", ago=timedelta(minutes=5))
    news.is_breaking = True
    news.save()  # flagged: every page shows it at once
    response = reader.get(pages["article"])
    assert "زلزال" in ticker(response)
    assert reader.get(pages["article"])["X-Page-Cache"] == "hit"
    news.title_ar = "زلزال بقوة 5 درجات"
    news.save()
    assert "زلزال بقوة 5 درجات" in ticker(reader.get(pages["article"]))
    news.is_breaking = False
    news.save()
    assert ticker(reader.get(pages["article"])) is None
    assert ticker(reader.get(pages["section"])) is None


def test_an_unrelated_edit_keeps_pages_cached(pages):
    make_article("حريق", is_breaking=True, ago=timedelta(minutes=5))
    other = make_article("خبر آخر")
    reader = Client()
    reader.get(pages["article"])
    other.lead_ar = "مقدمة جديدة"
    other.save()
    assert reader.get(pages["article"])["X-Page-Cache"] == "hit"


def test_an_item_leaves_the_ticker_when_its_hours_are_over(pages, settings):
    make_article("خبر ساخن", is_breaking=True, ago=timedelta(minutes=30))
    reader = Client()
    assert "خبر ساخن" in ticker(reader.get(pages["home"]))
    later = timezone.now() + timedelta(hours=settings.NEWSROOM_BREAKING_HOURS)
    with time_machine.travel(later, tick=False):
        # A page rendered now (a reader with a session, or another page) sees the deadline.
        staff_like = Client()
        staff_like.cookies["sessionid"] = "none"
        assert ticker(staff_like.get(pages["section"])) is None
        assert ticker(reader.get(pages["home"])) is None  # its cached copy was refreshed


def test_the_window_is_configurable(pages, settings):
    settings.NEWSROOM_BREAKING_HOURS = 1
    make_article("قبل ساعتين", is_breaking=True, ago=timedelta(hours=2))
    assert ticker(Client().get(pages["home"])) is None
