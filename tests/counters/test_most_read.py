"""«Most read» today, past 7 days, past 30 days and all time; site-wide and per section."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from counters import most_read
from counters.models import ArticleViewDay
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("Asia/Damascus"))


def views(article, days_ago, n, shard=0):
    day = timezone.localdate() - timedelta(days=days_ago)
    ArticleViewDay.objects.create(article=article, day=day, shard=shard, views=n)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def newsroom(clock):
    politics, culture = make_section("سياسة"), make_section("ثقافة")
    fresh = make_article("خبر اليوم", section=politics, ago=timedelta(hours=3))
    week_old = make_article("خبر الأسبوع", section=politics, ago=timedelta(days=4))
    legacy = make_article("خبر قديم", section=culture, ago=timedelta(days=400), view_count=7529)
    draft = make_article("مسودة", section=culture, published=False)
    views(fresh, 0, 3)
    views(fresh, 0, 2, shard=5)
    views(week_old, 3, 10)
    views(week_old, 20, 1)
    views(legacy, 45, 2)
    views(draft, 0, 99)
    return {"politics": politics, "culture": culture, "fresh": fresh, "week_old": week_old,
            "legacy": legacy, "draft": draft}  # fmt: skip


def lists(section=None):
    return {
        period: [(entry.id, entry.views) for entry in entries]
        for period, _label, entries in most_read.most_read(section.pk if section else None)
    }


def test_site_wide_periods(newsroom):
    fresh, week_old, legacy = newsroom["fresh"].pk, newsroom["week_old"].pk, newsroom["legacy"].pk
    assert lists() == {
        "today": [(fresh, 5)],
        "week": [(week_old, 10), (fresh, 5)],
        "month": [(week_old, 11), (fresh, 5)],
        "all": [(legacy, 7531), (week_old, 11), (fresh, 5)],
    }


def test_per_section(newsroom):
    assert lists(newsroom["culture"]) == {"all": [(newsroom["legacy"].pk, 7531)]}
    assert list(lists(newsroom["politics"])) == ["today", "week", "month", "all"]


def test_length_is_a_setting(newsroom, settings):
    settings.NEWSROOM_MOST_READ_SIZE = 1
    most_read.cache.clear()
    assert lists()["all"] == [(newsroom["legacy"].pk, 7531)]
    assert lists()["week"] == [(newsroom["week_old"].pk, 10)]


def test_one_query_for_every_section_then_the_cache(newsroom, django_assert_num_queries):
    for _ in range(5):
        make_article(section=make_section())
    with django_assert_num_queries(1):
        most_read.most_read()
        most_read.most_read(newsroom["politics"].pk)
    with django_assert_num_queries(0):
        most_read.most_read(newsroom["culture"].pk)


def test_lists_update_within_minutes(newsroom, clock, settings):
    late = make_article("خبر صاعد", section=newsroom["culture"], ago=timedelta(hours=1))
    assert lists()["today"] == [(newsroom["fresh"].pk, 5)]
    views(late, 0, 50)
    assert lists()["today"] == [(newsroom["fresh"].pk, 5)]  # cached
    clock.shift(timedelta(seconds=settings.NEWSROOM_MOST_READ_SECONDS + 1))
    assert lists()["today"] == [(late.pk, 50), (newsroom["fresh"].pk, 5)]


def test_home_shows_site_wide_list(client, newsroom):
    content = client.get(reverse("articles:home")).content.decode()
    block = content[content.index('class="most-read"') :]
    assert "الأكثر قراءة" in block
    week = block[block.index("most-read-week") : block.index("most-read-month")]
    assert week.index("خبر الأسبوع") < week.index("خبر اليوم")
    assert "آخر 7 أيام" in week
    assert "مسودة" not in content
    assert "7531 مشاهدة" in block


def test_article_page_shows_section_and_site_lists(client, newsroom):
    content = client.get(newsroom["fresh"].get_absolute_url()).content.decode()
    assert "الأكثر قراءة في قسم «سياسة»" in content
    assert 'id="most-read-site"' in content
    assert "اليوم" in content and "كل الأوقات" in content


def test_english_page_uses_english_titles_when_present(client, newsroom):
    newsroom["legacy"].title_en = "An old story"
    newsroom["legacy"].save()
    most_read.cache.clear()
    with translation.override("en"):
        home = reverse("articles:home")
    content = client.get(home).content.decode()
    assert "Most read" in content
    assert "An old story" in content


class TestBlocksFollowEdits:
    """The blocks (kept fragments, and the cached pages showing them) are refreshed at once
    when an article they list is edited or unpublished, and only then."""

    @pytest.fixture
    def clock(self):
        """A clock that runs: cache versions are times, and a stopped clock never bumps."""
        with time_machine.travel(NOON, tick=True) as traveller:
            yield traveller

    @pytest.fixture(autouse=True)
    def _no_skew_margin(self, settings):
        settings.NEWSROOM_PAGE_CACHE_SKEW_SECONDS = 0

    def page_of(self, client, article):
        response = client.get(article.get_absolute_url())
        return response["X-Page-Cache"], response.content.decode()

    def test_editing_a_listed_article_refreshes_other_pages_blocks(self, client, newsroom):
        reader_page = newsroom["fresh"]
        self.page_of(client, reader_page)
        assert self.page_of(client, reader_page)[0] == "hit"
        legacy = newsroom["legacy"]
        legacy.title_ar = "خبر قديم بعنوان جديد"
        legacy.save()  # listed site-wide ("all time")
        state, content = self.page_of(client, reader_page)
        # The page's kept answer draws the lists again (caching/fragments.py): still a hit.
        assert state == "hit" and "خبر قديم بعنوان جديد" in content
        assert "خبر قديم بعنوان جديد" in client.get(reverse("articles:home")).content.decode()

    def test_unpublishing_a_listed_article_drops_it_from_the_blocks(self, client, newsroom):
        reader_page, gone = newsroom["legacy"], newsroom["week_old"]
        assert gone.title_ar in self.page_of(client, reader_page)[1]
        gone.status = gone.Status.UNPUBLISHED
        gone.save()
        assert gone.title_ar not in self.page_of(client, reader_page)[1]

    def test_an_article_in_no_list_leaves_cached_pages_alone(self, client, newsroom):
        unread = make_article("خبر بلا قراء", section=newsroom["culture"], ago=timedelta(days=2))
        reader_page = newsroom["fresh"]
        self.page_of(client, reader_page)
        most_read.cached_most_read_rows()  # the ranking is known: unread is in no list
        assert self.page_of(client, reader_page)[0] == "hit"
        unread.title_ar = "خبر بلا قراء بعد التعديل"
        unread.save()
        assert self.page_of(client, reader_page)[0] == "hit"
