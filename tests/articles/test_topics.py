"""Topics (issue 16): one topic per normalised name, topic pages, their cache, feeds,
sitemap, JSON-LD, the search filter, related articles and merging in the desk."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from articles import services
from articles.models import Article, Topic, TopicRedirect
from articles.related import related_articles
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def topic_url(topic, language="ar"):
    with translation.override(language):
        return topic.get_absolute_url()


class TestOneTopicPerName:
    @pytest.mark.parametrize("spelling", ["الاسد", "الأَسد", "الأسـد", " الأسد  "])
    def test_spelling_variants_are_one_topic(self, spelling):
        topic = Topic.for_name("الأسد")
        assert Topic.for_name(spelling) == topic
        assert Topic.objects.count() == 1

    def test_the_desk_form_refuses_a_near_duplicate_in_arabic(self):
        Topic.for_name("الأسد")
        duplicate = Topic(name_ar="الاسد")
        with pytest.raises(ValidationError) as refused:
            duplicate.full_clean()
        assert "موجود" in " ".join(refused.value.message_dict["name_ar"])

    def test_the_database_refuses_one_too(self):
        Topic.for_name("الأسد")
        with pytest.raises(IntegrityError), transaction.atomic():
            Topic.objects.create(name_ar="الاسد")

    def test_unicode_slug(self):
        assert Topic.for_name("سعر الصرف").slug == "سعر-الصرف"


class TestTopicPage:
    def test_two_spellings_one_page_listing_both(self, client):
        first = make_article("خبر عن الأسد الأول")
        second = make_article("خبر عن الأسد الثاني")
        first.topics.add(Topic.for_name("الاسد"))
        second.topics.add(Topic.for_name("الأسد"))
        page = client.get(topic_url(Topic.objects.get()))
        assert page.status_code == 200
        html = page.content.decode()
        assert "خبر عن الأسد الأول" in html and "خبر عن الأسد الثاني" in html
        assert html.count("<h1") == 1

    def test_drafts_never_appear_and_newest_come_first(self, client):
        topic = Topic.for_name("الكهرباء")
        from datetime import timedelta

        old = make_article("تقنين قديم", ago=timedelta(days=3))
        new = make_article("تقنين جديد", ago=timedelta(hours=1))
        draft = make_article("مسودة التقنين", published=False)
        for article in (old, new, draft):
            article.topics.add(topic)
        html = client.get(topic_url(topic)).content.decode()
        assert "مسودة التقنين" not in html
        assert html.index("تقنين جديد") < html.index("تقنين قديم")

    def test_english_page_and_unknown_topic(self, client):
        topic = Topic.for_name("الزراعة")
        assert client.get(topic_url(topic, "en")).status_code == 200
        assert client.get("/ar/topic/لا-يوجد/").status_code == 404

    def test_queries_stay_flat(self, client, settings, django_assert_max_num_queries):
        settings.NEWSROOM_PAGE_CACHE_ENABLED = False
        settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = False
        topic = Topic.for_name("المياه")
        make_article("خبر المياه").topics.add(topic)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(topic_url(topic))  # the "most read" and schedule caches are warm
        with CaptureQueriesContext(connection) as few:
            client.get(topic_url(topic))
        for n in range(15):
            make_article(f"خبر المياه {n}", section=make_section()).topics.add(topic)
        with CaptureQueriesContext(connection) as many:
            client.get(topic_url(topic))
        # (the breaking-news ticker's fragment is cold in both: +1)
        assert len(few) == len(many) <= 7, [q["sql"] for q in many.captured_queries]


class TestTopicPageCache:
    def test_invalidated_exactly_when_an_article_with_the_topic_changes(
        self, client, django_capture_on_commit_callbacks
    ):
        economy, sport = Topic.for_name("الاقتصاد"), Topic.for_name("الرياضة")
        section = make_section("محليات")  # one section: a new one would change every page's menu
        article = make_article("الأسعار", section=section)
        article.topics.add(economy)
        make_article("المباراة", section=section).topics.add(sport)
        pages = {"economy": topic_url(economy), "sport": topic_url(sport)}
        for path in pages.values():
            client.get(path)
            assert client.get(path)["X-Page-Cache"] == "hit"

        with django_capture_on_commit_callbacks(execute=True):
            article.title_ar = "الأسعار اليوم"
            article.save()
        assert client.get(pages["economy"])["X-Page-Cache"] == "miss"
        assert client.get(pages["sport"])["X-Page-Cache"] == "hit"
        assert "الأسعار اليوم" in client.get(pages["economy"]).content.decode()

        newcomer = make_article("خبر رياضي جديد", section=section)
        client.get(pages["sport"])
        with django_capture_on_commit_callbacks(execute=True):
            newcomer.topics.add(sport)
        page = client.get(pages["sport"])
        assert page["X-Page-Cache"] == "miss" and "خبر رياضي جديد" in page.content.decode()
        assert client.get(pages["economy"])["X-Page-Cache"] == "hit"

    def test_renaming_a_topic_refreshes_its_article_pages(
        self, client, django_capture_on_commit_callbacks
    ):
        topic = Topic.for_name("النقل")
        article = make_article("الحافلات")
        article.topics.add(topic)
        client.get(article.get_absolute_url())
        assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
        with django_capture_on_commit_callbacks(execute=True):
            topic.name_ar = "النقل العام"
            topic.save()
        page = client.get(article.get_absolute_url())
        assert page["X-Page-Cache"] == "miss" and "النقل العام" in page.content.decode()


class TestTopicsOnTheArticle:
    def test_links_and_json_ld(self, client):
        article = make_article("افتتاح معرض الكتاب")
        article.topics.add(Topic.for_name("الثقافة"), Topic.for_name("الكتب"))
        html = client.get(article.get_absolute_url()).content.decode()
        topic = Topic.objects.get(name_ar="الثقافة")
        assert f'href="{topic_url(topic)}" rel="tag"' in html
        data = json.loads(
            re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
        )
        assert sorted(data["keywords"]) == ["الثقافة", "الكتب"]
        assert {item["name"] for item in data["about"]} == {"الثقافة", "الكتب"}


class TestDiscovery:
    def test_feeds(self, client):
        topic = Topic.for_name("الطقس")
        make_article("منخفض جوي").topics.add(topic)
        make_article("خبر آخر")
        for name in ("discovery:topic_feed", "discovery:topic_feed_atom"):
            with translation.override("ar"):
                path = reverse(name, kwargs={"slug": topic.slug})
            body = client.get(path).content.decode()
            assert "منخفض جوي" in body and "خبر آخر" not in body
            assert "الطقس" in body

    def test_sitemap_lists_topics_with_published_articles(self, client):
        used, unused = Topic.for_name("الصحة"), Topic.for_name("غير مستخدم")
        make_article("المشافي").topics.add(used)
        body = client.get("/sitemap-topics.xml").content.decode()
        from urllib.parse import unquote

        assert unquote(topic_url(used)) in unquote(body)
        assert unquote(topic_url(unused)) not in unquote(body)

    def test_search_filters_by_topic(self, client):
        topic = Topic.for_name("الأمطار")
        make_article("هطول الأمطار في دمشق").topics.add(topic)
        make_article("الأمطار في حلب")
        found = client.get("/ar/search/", {"q": "الأمطار", "topic": "الامطار"}).content.decode()
        found = re.sub(r"<[^>]+>", "", found)  # the matched words are highlighted
        assert "هطول الأمطار في دمشق" in found and "الأمطار في حلب" not in found

    def test_search_with_an_unknown_topic_says_so_in_arabic(self, client):
        page = client.get("/ar/search/", {"q": "الأمطار", "topic": "لا يوجد"})
        assert page.status_code == 200
        html = page.content.decode()
        assert "لا يوجد موضوع" in html and 'value="لا يوجد"' in html

    def test_related_articles_weigh_shared_topics(self):
        topic = Topic.for_name("الانتخابات")
        home, elsewhere = make_section("محليات"), make_section("عربي ودولي")
        article = make_article("صناديق الاقتراع تفتح صباحاً", section=home)
        article.topics.add(topic)
        on_topic = make_article("نتائج أولية", section=elsewhere)
        on_topic.topics.add(topic)
        make_article("خبر محلي عادي", section=home)
        assert related_articles(article)[0] == on_topic


class TestMergingInTheDesk:
    def test_merge_keeps_articles_and_redirects_the_old_address(self, admin_client):
        kept, merged = Topic.for_name("الليرة"), Topic.for_name("سعر الليرة")
        a, b = make_article("خبر أ"), make_article("خبر ب")
        a.topics.add(kept)
        kept.articles.add(make_article("خبر ج"))
        b.topics.add(merged)
        old_address = topic_url(merged)
        selected = {"action": "merge_selected", "_selected_action": [kept.pk, merged.pk]}
        changelist = reverse("admin:articles_topic_changelist")
        asked = admin_client.post(changelist, selected).content.decode()
        assert "أي موضوع يبقى؟" in asked and "لا يمكن التراجع" in asked
        assert Topic.objects.count() == 2  # nothing merged before the editor confirms
        # the one with most articles is offered first, chosen
        assert re.search(rf'value="{kept.pk}" checked', asked), asked
        response = admin_client.post(
            changelist, {**selected, "post": "yes", "kept": str(kept.pk)}, follow=True
        )
        assert "دُمج موضوع واحد في «الليرة»" in response.content.decode()
        from django.contrib.admin.models import LogEntry

        with translation.override("ar"):
            logged = LogEntry.objects.get(object_id=str(kept.pk)).get_change_message()
        assert logged == "دُمج فيه: «سعر الليرة»."  # the kept topic's history says so
        assert not Topic.objects.filter(pk=merged.pk).exists()
        assert set(kept.articles.all()) == set(Article.objects.all())
        moved = Client().get(old_address)
        assert moved.status_code == 301 and moved["Location"] == topic_url(kept)
        assert TopicRedirect.objects.get().topic == kept
        # its feeds follow it (a 410 told feed readers to drop the subscription)
        for feed in ("feed/", "feed/atom/"):
            answer = Client().get(old_address + feed)
            assert answer.status_code == 301, (feed, answer.status_code)
            assert answer["Location"] == topic_url(kept) + feed
            assert Client().get(answer["Location"]).status_code == 200

    def test_the_editor_chooses_the_topic_kept(self, admin_client):
        big, small = Topic.for_name("الليرة السورية"), Topic.for_name("ليرة")
        for title in ("خبر أ", "خبر ب"):
            make_article(title).topics.add(big)
        make_article("خبر ج").topics.add(small)
        selected = {"action": "merge_selected", "_selected_action": [big.pk, small.pk]}
        changelist = reverse("admin:articles_topic_changelist")
        admin_client.post(changelist, {**selected, "post": "yes", "kept": str(small.pk)})
        assert list(Topic.objects.all()) == [small] and small.articles.count() == 3
        assert TopicRedirect.objects.get().slug == big.slug

    def test_a_kept_topic_not_among_the_selected_merges_nothing(self, admin_client):
        first, second, other = (Topic.for_name(n) for n in ("أ", "ب", "ج"))
        selected = {"action": "merge_selected", "_selected_action": [first.pk, second.pk]}
        changelist = reverse("admin:articles_topic_changelist")
        response = admin_client.post(
            changelist, {**selected, "post": "yes", "kept": str(other.pk)}, follow=True
        )
        assert "اختر الموضوع الذي يبقى" in response.content.decode()
        assert Topic.objects.count() == 3

    def test_merging_again_keeps_earlier_addresses_working(self):
        first, second, third = (Topic.for_name(n) for n in ("أ", "ب", "ج"))
        services.merge_topics(kept=second, merged=[first])
        services.merge_topics(kept=third, merged=[second])
        assert set(TopicRedirect.objects.values_list("topic", flat=True)) == {third.pk}

    def test_autocomplete_finds_every_spelling(self, admin_client):
        Topic.for_name("الأسد")
        response = admin_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "articles",
                "model_name": "article",
                "field_name": "topics",
                "term": "الاسد",
            },
        )
        assert [item["text"] for item in response.json()["results"]] == ["الأسد"]

    def test_topic_list_shows_article_counts(self, admin_client):
        topic = Topic.for_name("البيئة")
        for n in range(3):
            make_article(f"بيئة {n}").topics.add(topic)
        html = admin_client.get(reverse("admin:articles_topic_changelist")).content.decode()
        assert re.search(r'class="field-article_count">3<', html)


def test_the_delete_page_lists_no_link_rows_in_english(admin_client):
    """It listed «Article-topic علاقات: Article_topics object (11)» for each article."""
    topic = Topic.for_name("الكهرباء")
    make_article("انقطاع الكهرباء").topics.add(topic)
    with translation.override("ar"):
        url = reverse("admin:articles_topic_delete", args=[topic.pk])
    page = admin_client.get(url).content.decode()
    assert "الكهرباء" in page and "_topics object" not in page and "Article-topic" not in page
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert Article.objects.get().topics.count() == 0  # the link rows went with it
