"""Date archives: a year, a month (with its calendar) and a day, paged, in both languages,
kept in the page cache until an article of that date changes; WordPress's date addresses
answer there."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db
DAMASCUS = ZoneInfo("Asia/Damascus")


def at(*parts):
    return datetime(*parts, tzinfo=DAMASCUS)


def published(title, moment, **fields):
    article = make_article(title, **fields)
    article.published_at = moment
    article.save()
    return article


@pytest.fixture
def dated():
    return {
        "late": published("خبر آخر الليل", at(2025, 12, 6, 23, 30)),  # 6 Dec in Damascus
        "morning": published("خبر الصباح", at(2025, 12, 7, 8, 0)),
        "november": published("خبر تشرين الثاني", at(2025, 11, 3, 12, 0)),
        "old": published("خبر قديم", at(2017, 4, 27, 10, 0)),
    }


def titles(response):
    return [article.title for article in response.context["articles"]]


def test_day_month_year(client, dated):
    day = client.get("/ar/archive/2025/12/06/")
    assert day.status_code == 200
    assert titles(day) == ["خبر آخر الليل"]  # the local date, not UTC's
    body = day.content.decode()
    assert "٦ كانون الأول ٢٠٢٥" in body or "6 كانون الأول 2025" in body
    month = client.get("/ar/archive/2025/12/")
    assert titles(month) == ["خبر الصباح", "خبر آخر الليل"]
    text = month.content.decode()
    assert 'href="/ar/archive/2025/12/6/"' in text and 'href="/ar/archive/2025/12/7/"' in text
    assert 'href="/ar/archive/2025/12/8/"' not in text  # a day without articles: no link
    assert "السبت" in text  # the calendar's weeks start on Saturday
    year = client.get("/ar/archive/2025/")
    assert titles(year) == ["خبر الصباح", "خبر آخر الليل", "خبر تشرين الثاني"]
    assert 'href="/ar/archive/2025/11/"' in year.content.decode()
    assert 'href="/ar/archive/2025/1/"' not in year.content.decode()
    english = client.get("/en/archive/2025/12/")
    assert english.status_code == 200 and "December" in english.content.decode()


def test_a_year_links_every_year_of_the_archive(client, dated):
    """The footer's «الأرشيف» opened this year's months, with no way to reach 2017."""
    page = client.get("/ar/archive/2025/").content.decode()
    years = page[page.index('class="archive-years"') :].split("</nav>")[0]
    assert 'href="/ar/archive/2017/"' in years
    assert 'href="/ar/archive/2020/"' not in years  # a year without articles: no link
    assert '<span aria-current="page">' in years and 'href="/ar/archive/2025/"' not in years
    assert 'class="archive-up"' not in page  # no empty landmark on a year's page
    older = client.get("/ar/archive/2017/").content.decode()
    assert 'href="/ar/archive/2025/"' in older.split('class="archive-years"')[1]


@pytest.mark.parametrize(
    "url",
    [
        "/ar/archive/2025/13/",
        "/ar/archive/2025/2/30/",
        "/ar/archive/99999/",
        # 0 is no month nor day (it was a 500, or the whole month), and numbers past what a
        # date holds were a 500 (OverflowError)
        "/ar/archive/2025/0/",
        "/en/archive/2025/00/",
        "/ar/archive/2025/12/0/",
        "/ar/archive/2025/99999999999/",
        "/ar/archive/2025/12/99999999999/",
    ],
)
def test_impossible_dates_are_404(client, url):
    assert client.get(url).status_code == 404


def test_paged(client):
    for n in range(14):
        published(f"خبر {n}", at(2025, 5, 1, 8, n))
    first = client.get("/ar/archive/2025/05/01/")
    assert len(titles(first)) == 12
    second = client.get("/ar/archive/2025/05/01/?page=2")
    assert len(titles(second)) == 2


def test_kept_and_refreshed_exactly(client, dated):
    assert client.get("/ar/archive/2025/12/06/").status_code == 200
    again = client.get("/ar/archive/2025/12/06/")
    assert again.get("X-Page-Cache") == "hit"
    published("خبر جديد في اليوم نفسه", at(2025, 12, 6, 9, 0))
    refreshed = client.get("/ar/archive/2025/12/06/")
    assert "خبر جديد في اليوم نفسه" in titles(refreshed)
    # Another date's page is left alone (same section: a new one would change every page's menu).
    client.get("/ar/archive/2017/04/27/")
    published("خبر آخر", at(2025, 12, 7, 9, 0), section=dated["old"].section)
    assert client.get("/ar/archive/2017/04/27/").get("X-Page-Cache") == "hit"
    moved = dated["late"]
    moved.published_at = at(2025, 12, 5, 9, 0)
    moved.save()
    assert "خبر آخر الليل" not in titles(client.get("/ar/archive/2025/12/06/"))
    assert "خبر آخر الليل" in titles(client.get("/ar/archive/2025/12/05/"))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/2017/04/27/", "/ar/archive/2017/4/27/"),
        ("/2017/04/", "/ar/archive/2017/4/"),
        ("/2017/", "/ar/archive/2017/"),
    ],
)
def test_wordpress_date_addresses(client, dated, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)
    assert client.get(new).status_code == 200


def test_footer_links_the_archive(client, dated):
    assert 'href="/ar/archive/' in client.get("/ar/").content.decode()


def test_a_period_with_nothing_published_is_not_for_search_engines(client, dated):
    for path in ("/ar/archive/1999/", "/ar/archive/2025/10/", "/en/archive/2025/12/05/"):
        response = client.get(path)
        assert response.status_code == 200
        assert '<meta name="robots" content="noindex">' in response.content.decode(), path
    kept = client.get("/ar/archive/2025/12/").content.decode()
    assert 'name="robots"' not in kept
