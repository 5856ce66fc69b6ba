"""What readers get: the entries on the article page, the badge, the updates endpoint (cached,
refreshed by a new entry or a change; corrections, removals and restores sent to open pages),
the feed, the JSON-LD and the news sitemap; bad polls get a 400."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from articles.models import Article
from live import services, views
from tests.factories import make_article
from tests.live.conftest import updates_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_ENABLED = True


def page(article) -> str:
    return Client().get(article.get_absolute_url()).content.decode()


def entry_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'id="entry-(\d+)"', html)]


class TestArticlePage:
    def test_entries_newest_first_with_the_pinned_one_on_top(self, live_article):
        coverage = live_article["coverage"]
        pinned = services.post_entry(
            coverage=coverage, body="المثبت: خريطة الطرق المغلقة", is_pinned=True
        )
        newest = services.post_entry(coverage=coverage, body="آخر تحديث")
        html = page(live_article["article"])
        first, second = live_article["first"], live_article["second"]
        assert entry_ids(html) == [pinned.pk, newest.pk, second.pk, first.pk]
        assert "مثبّت" in html and "التحديثات المباشرة" in html
        assert 'class="live-badge">مباشر<' in html
        assert f'data-last-id="{newest.pk}"' in html
        assert re.search(
            r'<time datetime="[^"]+" title="\d+ [^"]+ \d{4} - \d\d:\d\d">\d\d:\d\d</time>', html
        )

    def test_a_new_entry_edit_or_removal_shows_at_once(self, live_article):
        article = live_article["article"]
        assert "بدأ تساقط الثلوج" in page(article)
        entry = services.post_entry(coverage=live_article["coverage"], body="تحديث جديد تمامًا")
        assert "تحديث جديد تمامًا" in page(article)
        entry.body = "تحديث مصحح"
        services.save_edited_entry(entry=entry)
        html = page(article)
        assert "تحديث مصحح" in html and "عُدّل" in html
        services.remove_entry(entry=entry)
        assert "تحديث مصحح" not in page(article)

    def test_an_ended_coverage_says_so_and_keeps_its_entries(self, live_article):
        article = live_article["article"]
        page(article)
        services.end_coverage(coverage=live_article["coverage"])
        html = page(article)
        assert "انتهت التغطية المباشرة" in html
        assert "data-updates-url" not in html and 'class="live-badge"' not in html
        assert len(entry_ids(html)) == 2

    def test_an_article_without_coverage_has_no_live_block(self, client):
        article = make_article()
        html = client.get(article.get_absolute_url()).content.decode()
        assert 'id="live"' not in html and "live-badge" not in html

    def test_badge_on_home_and_section_cards_while_live(self, live_article):
        article = live_article["article"]
        home = reverse("articles:home")
        section = article.section.get_absolute_url()
        for path in (home, section):
            assert 'class="live-badge">مباشر<' in Client().get(path).content.decode()
        services.end_coverage(coverage=live_article["coverage"])
        for path in (home, section):
            assert "live-badge" not in Client().get(path).content.decode()

    def test_live_blog_posting_json_ld(self, live_article):
        html = page(live_article["article"])
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        data = [json.loads(block) for block in blocks]
        live = next(item for item in data if item["@type"] == "LiveBlogPosting")
        assert live["coverageStartTime"] and "coverageEndTime" not in live
        assert [update["articleBody"] for update in live["liveBlogUpdate"]] == [
            "إغلاق طريق دمشق بيروت أمام الشاحنات.",
            "بدأ تساقط الثلوج على المرتفعات.",
        ]
        assert any(item["@type"] == "NewsArticle" for item in data)  # discovery's, untouched
        services.end_coverage(coverage=live_article["coverage"])
        html = page(live_article["article"])
        assert '"coverageEndTime"' in html

    def test_viewing_counts_once_and_polling_never(self, live_article):
        from counters.models import ArticleViewDay

        article = live_article["article"]
        client = Client()
        for _ in range(5):
            assert client.get(updates_url(article, 0)).status_code == 200
        assert not ArticleViewDay.objects.filter(article=article).exists()


class TestUpdatesEndpoint:
    def test_entries_after_an_id_newest_first_with_the_arabic_label(self, live_article):
        article, first, second = (live_article[k] for k in ("article", "first", "second"))
        data = Client().get(updates_url(article, first.pk)).json()
        assert [entry["id"] for entry in data["entries"]] == [second.pk]
        assert data["label"] == "تحديث جديد" and data["count"] == 1
        assert data["last_id"] == second.pk and data["ended"] is False
        assert "إغلاق طريق دمشق" in data["entries"][0]["html"]
        data = Client().get(updates_url(article, 0)).json()
        assert data["label"] == "تحديثان جديدان"
        for n in range(3):
            services.post_entry(coverage=live_article["coverage"], body=f"تحديث {n}")
        assert Client().get(updates_url(article, second.pk)).json()["label"] == "3 تحديثات جديدة"
        nothing = Client().get(updates_url(article, 10**9)).json()
        assert nothing["entries"] == [] and nothing["label"] == "" and nothing["count"] == 0

    def test_past_one_batch_the_label_says_more_than(self, live_article, monkeypatch):
        """121 waiting entries read «50 تحديثًا جديدًا»: one batch's count."""
        monkeypatch.setattr(views, "MAX_BATCH", 2)
        for n in range(3):
            services.post_entry(coverage=live_article["coverage"], body=f"تحديث {n}")
        data = Client().get(updates_url(live_article["article"], live_article["second"].pk)).json()
        assert data["more"] is True and data["label"] == "أكثر من 2 تحديثًا جديدًا"

    def test_removed_entries_are_not_sent(self, live_article):
        services.remove_entry(entry=live_article["second"])
        data = Client().get(updates_url(live_article["article"], 0)).json()
        assert [entry["id"] for entry in data["entries"]] == [live_article["first"].pk]

    def test_kept_until_an_entry_is_posted(self, live_article, settings, django_assert_num_queries):
        settings.NEWSROOM_LIVE_CACHE_SECONDS = 600  # the limit is tested below, on a fake clock
        article, second = live_article["article"], live_article["second"]
        url = updates_url(article, second.pk)
        with django_assert_num_queries(2):  # the coverage (published article), the entries
            first = Client().get(url)
        assert first["X-Page-Cache"] == "miss"
        assert "s-maxage=1" in first["Cache-Control"] and "public" in first["Cache-Control"]
        for _ in range(20):  # a thousand readers ask the same: no query
            with django_assert_num_queries(0):
                again = Client().get(url)
            assert again["X-Page-Cache"] == "hit" and again.content == first.content
        new = services.post_entry(coverage=live_article["coverage"], body="خبر عاجل الآن")
        fresh = Client().get(url)
        assert fresh["X-Page-Cache"] == "miss"
        assert [entry["id"] for entry in fresh.json()["entries"]] == [new.pk]
        other = updates_url(make_article(), 0)
        assert Client().get(other).status_code == 404  # another article: no coverage

    def test_the_cache_lasts_seconds_at_most(self, live_article, settings, monkeypatch):
        import time

        url = updates_url(live_article["article"], 0)
        assert Client().get(url)["X-Page-Cache"] == "miss"
        later = time.time() + settings.NEWSROOM_LIVE_CACHE_SECONDS + 1
        monkeypatch.setattr(time, "time", lambda: later)
        assert Client().get(url)["X-Page-Cache"] == "miss"

    def test_the_end_reaches_pollers(self, live_article):
        url = updates_url(live_article["article"], live_article["second"].pk)
        assert Client().get(url).json()["ended"] is False
        services.end_coverage(coverage=live_article["coverage"])
        data = Client().get(url).json()
        assert data["ended"] is True and data["ended_label"] == "انتهت التغطية المباشرة"

    @pytest.mark.parametrize("after", ["abc", "-1", "1.5", "٣", "1e3", "9" * 30, "", "1%00"])
    def test_malformed_ids_get_400_in_arabic(self, live_article, after):
        response = Client().get(updates_url(live_article["article"]) + "?after=" + after)
        assert response.status_code == 400
        assert response.json() == {"error": "رقم التحديث غير صالح."}

    def test_no_coverage_draft_or_missing_article_is_404(self, live_article):
        plain = make_article()
        assert Client().get(updates_url(plain, 0)).status_code == 404
        article = live_article["article"]
        Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
        assert Client().get(updates_url(article, 0)).status_code == 404
        assert Client().get("/ar/live/999999/updates/?after=0").status_code == 404


def page_rev(article) -> int:
    return int(re.search(r'data-rev="(\d+)"', page(article)).group(1))


class TestChangesReachOpenPages:
    """``?after=<id>&rev=<n>``: the entries the page has (id <= after) changed since revision n."""

    def test_a_correction_is_sent_rendered_as_on_the_page(self, live_article):
        article, first, second = (live_article[k] for k in ("article", "first", "second"))
        rev = page_rev(article)
        url = updates_url(article, second.pk, rev)
        data = Client().get(url).json()
        assert data["changed"] == [] and data["rev"] == rev
        first.body = "بدأ تساقط الثلوج على المرتفعات فوق 1200 متر."
        services.save_edited_entry(entry=first)
        data = Client().get(url).json()
        assert data["rev"] == rev + 1 and data["entries"] == []
        [change] = data["changed"]
        assert change["id"] == first.pk and set(change) == {"id", "html"}
        assert "فوق 1200 متر" in change["html"] and "عُدّل" in change["html"]
        assert change["html"].strip() in page(article)  # the same markup a reload shows
        assert page_rev(article) == rev + 1
        assert Client().get(updates_url(article, second.pk, rev + 1)).json()["changed"] == []

    def test_a_removal_and_a_restore(self, live_article):
        article, first, second = (live_article[k] for k in ("article", "first", "second"))
        rev = page_rev(article)
        services.remove_entry(entry=first)
        data = Client().get(updates_url(article, second.pk, rev)).json()
        assert data["changed"] == [{"id": first.pk, "removed": True}]
        assert data["rev"] == rev + 1
        services.restore_entry(entry=first)
        # A page that saw the removal, and one that never did: both get the entry back.
        for known in (rev + 1, rev):
            data = Client().get(updates_url(article, second.pk, known)).json()
            assert [change["id"] for change in data["changed"]] == [first.pk]
            assert "بدأ تساقط الثلوج" in data["changed"][0]["html"]
            assert data["rev"] == rev + 2

    def test_entries_not_yet_on_the_page_come_as_new_ones_not_as_changes(self, live_article):
        article, first, second = (live_article[k] for k in ("article", "first", "second"))
        rev = page_rev(article)
        second.body = "إغلاق طريق دمشق بيروت أمام جميع المركبات."
        services.save_edited_entry(entry=second)
        data = Client().get(updates_url(article, first.pk, rev)).json()
        assert data["changed"] == []
        assert [entry["id"] for entry in data["entries"]] == [second.pk]
        assert "جميع المركبات" in data["entries"][0]["html"]
        services.remove_entry(entry=second)
        data = Client().get(updates_url(article, first.pk, rev)).json()
        assert data["changed"] == [] and data["entries"] == [] and data["count"] == 0

    def test_a_pin_taken_moves_both_entries(self, live_article):
        article, first = live_article["article"], live_article["first"]
        pinned = services.post_entry(
            coverage=live_article["coverage"], body="خريطة الطرق", is_pinned=True
        )
        rev = page_rev(article)
        first.is_pinned = True
        services.save_edited_entry(entry=first)
        data = Client().get(updates_url(article, pinned.pk, rev)).json()
        assert [change["id"] for change in data["changed"]] == [pinned.pk, first.pk]
        unpinned, now_pinned = (change["html"] for change in data["changed"])
        assert "live-entry-pinned" not in unpinned and "live-entry-pinned" in now_pinned

    def test_a_reader_far_behind_catches_up_in_whole_revisions(self, live_article, monkeypatch):

        monkeypatch.setattr(views, "MAX_BATCH", 2)
        article, coverage = live_article["article"], live_article["coverage"]
        more = [services.post_entry(coverage=coverage, body=f"تحديث {n}") for n in range(3)]
        rev = page_rev(article)
        for entry in [live_article["first"], *more]:
            services.remove_entry(entry=entry)
        seen, known = [], rev
        for expected in (rev + 2, rev + 4):
            data = Client().get(updates_url(article, more[-1].pk, known)).json()
            assert data["rev"] == expected and len(data["changed"]) == 2
            seen += [change["id"] for change in data["changed"]]
            known = data["rev"]
        assert seen == [live_article["first"].pk, *(entry.pk for entry in more)]
        assert Client().get(updates_url(article, more[-1].pk, known)).json()["changed"] == []

    def test_without_rev_or_with_one_from_the_future_nothing_is_sent(self, live_article):
        article, first, second = (live_article[k] for k in ("article", "first", "second"))
        services.remove_entry(entry=first)
        current = page_rev(article)
        for url in (updates_url(article, second.pk), updates_url(article, second.pk, 10**9)):
            data = Client().get(url).json()
            assert data["changed"] == [] and data["rev"] == current

    def test_two_readers_with_the_same_question_cost_one_render(
        self, live_article, settings, django_assert_num_queries
    ):
        settings.NEWSROOM_LIVE_CACHE_SECONDS = 600
        article, first, second = (live_article[k] for k in ("article", "first", "second"))
        rev = page_rev(article)
        url = updates_url(article, second.pk, rev)
        with django_assert_num_queries(2):  # nothing changed since rev: no query for changes
            Client().get(url)
        first.body = "نص مصحح"
        services.save_edited_entry(entry=first)
        with django_assert_num_queries(3):  # the coverage, new entries, changed entries
            one = Client().get(url)
        assert one["X-Page-Cache"] == "miss" and len(one.json()["changed"]) == 1
        with django_assert_num_queries(0):
            other = Client().get(url)
        assert other["X-Page-Cache"] == "hit" and other.content == one.content
        services.remove_entry(entry=second)  # the next change ends the kept answer
        fresh = Client().get(url)
        assert fresh["X-Page-Cache"] == "miss"
        assert [change["id"] for change in fresh.json()["changed"]] == [first.pk, second.pk]

    @pytest.mark.parametrize("rev", ["abc", "-1", "1.5", "٣", "9" * 30, ""])
    def test_malformed_revisions_get_400_in_arabic(self, live_article, rev):
        url = updates_url(live_article["article"], live_article["second"].pk) + "&rev=" + rev
        response = Client().get(url)
        assert response.status_code == 400
        assert response.json() == {"error": "رقم المراجعة غير صالح."}
        with translation.override("en"):
            english = reverse("live:updates", args=[live_article["article"].pk])
        response = Client().get(f"{english}?after=1&rev={rev}")
        assert response.json() == {"error": "Malformed revision."}


def test_an_entry_past_midnight_shows_its_day(live_article):
    """«00:49» read as earlier than «23:59» below it: the day was only in a tooltip."""
    from datetime import datetime

    from django.utils import timezone

    from live.models import LiveCoverage, LiveEntry

    zone = timezone.get_current_timezone()
    evening = datetime(2026, 12, 7, 23, 30, tzinfo=zone)
    LiveCoverage.objects.filter(pk=live_article["coverage"].pk).update(started_at=evening)
    first, second = live_article["first"], live_article["second"]
    LiveEntry.objects.filter(pk=first.pk).update(
        posted_at=datetime(2026, 12, 7, 23, 59, tzinfo=zone)
    )
    LiveEntry.objects.filter(pk=second.pk).update(
        posted_at=datetime(2026, 12, 8, 0, 49, tzinfo=zone)
    )
    html = page(live_article["article"])

    def shown(entry):
        item = html.split(f'id="entry-{entry.pk}"')[1]
        return re.search(r'<time datetime="[^"]*" title="[^"]*">([^<]*)</time>', item)[1]

    assert shown(first) == "23:59"  # the day the coverage began: the time says enough
    assert shown(second) == "8 كانون الأول 2026 - 00:49"
    updates = Client().get(updates_url(live_article["article"], after=first.pk)).json()
    assert "8 كانون الأول 2026 - 00:49" in updates["entries"][0]["html"]


def test_arabic_entries_on_the_english_page_are_marked_arabic(live_article):
    """Entries have no English text: on /en/ they inherited lang="en" (an English voice)."""
    article = live_article["article"]
    arabic = re.findall(r'<div class="live-entry-body"([^>]*)>', page(article))
    assert arabic and all("lang=" not in attributes for attributes in arabic), arabic
    english = Client().get(article.get_absolute_url().replace("/ar/", "/en/", 1))
    bodies = re.findall(r'<div class="live-entry-body"([^>]*)>', english.content.decode())
    assert bodies and all('lang="ar" dir="rtl"' in attributes for attributes in bodies), bodies


class TestFeedAndSitemap:
    def test_atom_feed_of_entries(self, live_article):
        response = Client().get(reverse("live:feed", args=[live_article["article"].pk]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        body = response.content.decode()
        assert body.index("إغلاق طريق دمشق") < body.index("بدأ تساقط الثلوج")
        assert f"#entry-{live_article['first'].pk}" in body
        services.post_entry(coverage=live_article["coverage"], body="تحديث للخلاصة")
        again = Client().get(reverse("live:feed", args=[live_article["article"].pk]))
        assert "تحديث للخلاصة" in again.content.decode()
        assert 'type="application/atom+xml"' in page(live_article["article"])
        # The English feed marks its Arabic entries Arabic (entries have no English text).
        with translation.override("en"):
            english_url = reverse("live:feed", args=[live_article["article"].pk])
        english = Client().get(english_url).content.decode()
        assert english.count('<entry xml:lang="ar">') == english.count("<entry") > 0
        assert 'xml:lang="ar"><title' not in body and "<entry xml:lang" not in body

    def test_a_breaking_entry_typed_with_its_label_is_not_told_twice(self, live_article):
        services.post_entry(
            coverage=live_article["coverage"], body="<p>عاجل: سقوط قذيفة</p>", is_breaking=True
        )
        services.post_entry(coverage=live_article["coverage"], body="<p>عاجل: نص عادي</p>")
        response = Client().get(reverse("live:feed", args=[live_article["article"].pk]))
        titles = re.findall(r"<title>([^<]*)</title>", response.content.decode())
        assert "عاجل: سقوط قذيفة" in titles and "عاجل: عاجل: سقوط قذيفة" not in titles
        assert "عاجل: نص عادي" in titles  # not breaking: the entry as written

    def test_an_entry_stored_with_control_characters_does_not_fail_the_feed(self, live_article):
        """Written before saving refused them (here past ``save()``): left out of the feed."""
        from live.models import LiveEntry

        LiveEntry.objects.filter(pk=live_article["first"].pk).update(body="<p>تحديث\x07 ثانٍ</p>")
        response = Client().get(reverse("live:feed", args=[live_article["article"].pk]))
        assert response.status_code == 200 and "تحديث ثانٍ" in response.content.decode()

    def test_feed_of_an_article_without_coverage_is_404(self):
        assert Client().get(reverse("live:feed", args=[make_article().pk])).status_code == 404

    def test_a_live_page_stays_in_the_news_sitemap(self, live_article):
        article = live_article["article"]
        Article.objects.filter(pk=article.pk).update(
            published_at=article.published_at - timedelta(days=5)
        )
        old = make_article("خبر قديم", ago=timedelta(days=5))
        body = Client().get("/news-sitemap.xml").content.decode()
        assert article.title in body and old.title not in body
        services.end_coverage(coverage=live_article["coverage"])
        assert article.title not in Client().get("/news-sitemap.xml").content.decode()


def test_a_live_page_costs_the_same_queries_whatever_its_entries(
    live_article, settings, django_assert_num_queries
):
    """Rendered in full (no page cache, no kept fragments): three queries for the live part
    (the coverage, its entries with their authors, the latest for the JSON-LD), however many
    entries, authors and images it has."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.NEWSROOM_PAGE_CACHE_ENABLED = False
    settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = False
    article = live_article["article"]
    plain = make_article(section=article.section)
    client = Client()
    client.get(article.get_absolute_url())  # warm the "most read" lists and the live states
    with CaptureQueriesContext(connection) as without_live:
        client.get(plain.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(article.get_absolute_url())
    for n in range(15):
        services.post_entry(
            coverage=live_article["coverage"],
            body=f"تحديث إضافي {n}",
            author=live_article["second"].author,
        )
    with django_assert_num_queries(len(few)):
        html = client.get(article.get_absolute_url()).content.decode()
    assert len(entry_ids(html)) == 17
    assert len(few) == len(without_live) + 3


def test_unpublishing_the_article_stops_the_answers_at_once(live_article):
    article = live_article["article"]
    url = updates_url(article, 0)
    assert Client().get(url).status_code == 200
    article.status = Article.Status.UNPUBLISHED
    article.save()
    assert Client().get(url).status_code == 404
    assert Client().get(reverse("live:feed", args=[article.pk])).status_code == 404
