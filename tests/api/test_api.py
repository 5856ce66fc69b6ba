"""The content API: what it shows (published only, public fields), in which language, how it
pages, how it is cached and invalidated, and how it refuses bad input."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from api.openapi import LANG, schema
from articles.models import Article, Byline, Correction
from tests.factories import image_upload, make_article, make_author, make_section

pytestmark = pytest.mark.django_db

INTERNAL_FIELDS = {
    "status",
    "embargo_until",
    "pin_order",
    "created_by",
    "view_count",
    "title_search",
    "search_ar",
    "search_en",
    "comments_enabled",
    "is_featured",
    "created_at",
}


def get(client, path, **params):
    headers = params.pop("headers", {})
    return client.get(path, params, headers=headers)


def body(response):
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def list_url():
    return reverse("api:article-list")


def detail_url(article):
    return reverse("api:article-detail", kwargs={"pk": article.pk})


@pytest.fixture
def newsroom():
    politics, sport = make_section("سياسة"), make_section("رياضة")
    salma, omar = make_author("سلمى الحسن"), make_author("عمر الخطيب")
    live = make_article("اجتماع المجلس المحلي", section=politics, authors=[salma, omar])
    other = make_article("مباراة الفتوة", section=sport, authors=[omar], ago=timedelta(hours=2))
    draft = make_article("مسودة سرية", section=politics, published=False)
    scheduled = make_article("خبر مجدول", section=politics)
    Article.objects.filter(pk=scheduled.pk).update(
        status="scheduled", published_at=timezone.now() + timedelta(hours=3)
    )
    review = make_article("خبر قيد المراجعة", section=politics, published=False)
    Article.objects.filter(pk=review.pk).update(status="review")
    return {
        "politics": politics, "sport": sport, "salma": salma, "omar": omar, "live": live,
        "other": other, "draft": draft, "scheduled": scheduled, "review": review,
    }  # fmt: skip


class TestWhatIsShown:
    def test_only_published_articles_are_listed(self, client, newsroom):
        ids = [item["id"] for item in body(get(client, list_url()))["results"]]
        assert ids == [newsroom["live"].pk, newsroom["other"].pk]

    @pytest.mark.parametrize("name", ["draft", "scheduled", "review"])
    def test_unpublished_articles_are_not_found(self, client, newsroom, name):
        response = get(client, detail_url(newsroom[name]))
        assert response.status_code == 404
        assert body(response) == {"error": "غير موجود."}

    def test_a_scheduled_article_is_found_once_its_time_comes(self, client, newsroom):
        """The published check's SQL is compiled once per thread: the moment is compared
        on each request, never kept in it."""
        scheduled = newsroom["scheduled"]
        scheduled.refresh_from_db()  # its time is three hours ahead
        assert get(client, detail_url(scheduled)).status_code == 404
        with time_machine.travel(scheduled.published_at + timedelta(minutes=1)):
            response = get(client, detail_url(scheduled))
        assert response.status_code == 200 and body(response)["id"] == scheduled.pk

    def test_no_internal_field_appears(self, client, newsroom):
        card = body(get(client, list_url()))["results"][0]
        detail = body(get(client, detail_url(newsroom["live"])))
        assert not INTERNAL_FIELDS & card.keys()
        assert not INTERNAL_FIELDS & detail.keys()

    def test_detail_has_sanitised_body_bylines_corrections_and_canonical_url(
        self, client, newsroom
    ):
        article = newsroom["live"]
        # Written around save() (as raw SQL or an old import might): still cleaned.
        Article.objects.filter(pk=article.pk).update(
            body_ar='<p onclick="x()">نص</p><script>alert(1)</script>'
        )
        Correction.objects.create(article=article, text="صُحّح اسم المدينة.")
        data = body(get(client, detail_url(article)))
        assert "<script" not in data["body_html"] and "onclick" not in data["body_html"]
        assert "<p>نص</p>" in data["body_html"]
        assert [b["name"] for b in data["bylines"]] == ["سلمى الحسن", "عمر الخطيب"]
        assert data["corrections"][0]["text"] == "صُحّح اسم المدينة."
        assert data["url"] == "http://testserver" + article.get_absolute_url().replace(
            article.slug, data["url"].split("/")[-2]
        )
        assert data["url"].startswith("http://testserver/ar/news/")
        assert data["short_url"] == f"http://testserver/a/{article.pk}"
        assert data["section"]["slug"] == newsroom["politics"].slug

    def test_image_renditions_and_credits(self, client, newsroom):
        article = newsroom["live"]
        article.image = image_upload()
        article.image_credit, article.image_alt_ar = "تصوير: وكالة سانا", "قاعة المجلس"
        article.save()
        image = body(get(client, detail_url(article)))["image"]
        assert image["credit"] == "وكالة سانا" and image["alt"] == "قاعة المجلس"  # no «تصوير:»
        page = client.get(article.get_absolute_url()).content.decode()
        assert "تصوير: وكالة سانا" in page and "تصوير: تصوير:" not in page
        widths = [rendition["width"] for rendition in image["renditions"]]
        assert widths == sorted(widths) and widths[-1] == 800
        assert image["renditions"][0]["webp"].startswith("http://testserver/media/")
        assert image["renditions"][0]["jpeg"].endswith(".jpg")

    def test_sections_and_authors(self, client, newsroom):
        sections = body(get(client, reverse("api:section-list")))["results"]
        assert {s["slug"] for s in sections} >= {newsroom["politics"].slug}
        author = body(
            get(client, reverse("api:author-detail", kwargs={"pk": newsroom["salma"].pk}))
        )
        assert author["name"] == "سلمى الحسن" and author["kind"] == "person"

    def test_filters_by_section_and_author(self, client, newsroom):
        by_section = get(client, list_url(), section=newsroom["sport"].slug)
        assert [a["id"] for a in body(by_section)["results"]] == [newsroom["other"].pk]
        by_author = get(client, list_url(), author=newsroom["salma"].slug)
        assert [a["id"] for a in body(by_author)["results"]] == [newsroom["live"].pk]

    def test_most_read(self, client, newsroom):
        Article.objects.filter(pk=newsroom["other"].pk).update(view_count=50)
        Article.objects.filter(pk=newsroom["live"].pk).update(view_count=10)
        data = body(get(client, reverse("api:most-read"), period="all"))
        assert [(e["id"], e["views"]) for e in data["results"]] == [
            (newsroom["other"].pk, 50),
            (newsroom["live"].pk, 10),
        ]

    def test_search_and_most_read_never_show_unpublished_articles(self, client, newsroom):
        for name in ("draft", "scheduled", "review"):
            Article.objects.filter(pk=newsroom[name].pk).update(view_count=1000)
        ranked = body(get(client, reverse("api:most-read"), period="all"))["results"]
        found = body(get(client, reverse("api:search"), q="خبر"))["results"]
        hidden = {newsroom[name].pk for name in ("draft", "scheduled", "review")}
        assert not hidden & {item["id"] for item in ranked + found}

    def test_search_folds_arabic_spelling_like_the_site(self, client):
        found = make_article("استقبال الطلاب الأجانب في الجامعة")
        make_article("خبر آخر لا علاقة له")
        data = body(get(client, reverse("api:search"), q="الاجانب"))
        assert [hit["id"] for hit in data["results"]] == [found.pk]
        assert "<mark>الأجانب</mark>" in data["results"][0]["title_html"]
        # Arabic letters in an English search: the Arabic text, as on the English site.
        english = body(get(client, reverse("api:search"), q="الاجانب", lang="en"))
        assert [hit["id"] for hit in english["results"]] == [found.pk]


class TestLanguages:
    def test_english_with_arabic_fallback(self, client, newsroom):
        Article.objects.filter(pk=newsroom["live"].pk).update(title_en="Council meets")
        cards = body(get(client, list_url(), lang="en"))["results"]
        assert (cards[0]["title"], cards[0]["language"]) == ("Council meets", "en")
        assert (cards[1]["title"], cards[1]["language"]) == ("مباراة الفتوة", "ar")
        assert cards[0]["url"].startswith("http://testserver/en/news/")

    def test_the_english_list_follows_the_english_edition_setting(self, client, newsroom, settings):
        Article.objects.filter(pk=newsroom["live"].pk).update(title_en="Council meets")
        settings.NEWSROOM_EN_SHOWS_ARABIC = False
        cards = body(get(client, list_url(), lang="en"))["results"]
        assert [card["id"] for card in cards] == [newsroom["live"].pk]
        assert len(body(get(client, list_url()))["results"]) == 2  # Arabic: everything

    def test_accept_language_picks_english_and_lang_wins(self, client, newsroom):
        Article.objects.filter(pk=newsroom["live"].pk).update(title_en="Council meets")
        english = get(client, list_url(), headers={"accept-language": "en"})
        assert body(english)["results"][0]["title"] == "Council meets"
        assert english["Content-Language"] == "en"
        arabic = get(client, list_url(), lang="ar", headers={"accept-language": "en"})
        assert body(arabic)["results"][0]["title"] == "اجتماع المجلس المحلي"

    def test_errors_in_the_requested_language(self, client, newsroom):
        arabic = body(get(client, list_url(), limit="كثير"))
        english = body(get(client, list_url(), limit="many", lang="en"))
        assert arabic["error"] == "limit: أدخل رقما صحيحا."
        assert english["error"] == "limit: Enter a whole number."


class TestBadInput:
    @pytest.mark.parametrize(
        "params",
        [
            {"limit": "0"},
            {"limit": "51"},
            {"limit": "abc"},
            {"cursor": "not-a-cursor"},
            {"cursor": "W10"},  # base64 of [] : valid JSON, wrong shape
            {"cursor": "WyJ4IiwiMSJd"},  # ["x","1"]: not a date, not an id
            {"section": "لا-يوجد"},
            {"author": "nobody"},
            {"lang": "fr"},
        ],
    )
    def test_malformed_parameters_get_400_json_never_500(self, client, newsroom, params):
        response = get(client, list_url(), **params)
        assert response.status_code == 400
        assert body(response)["error"]
        assert response["Cache-Control"] == "no-store"

    def test_an_unknown_language_names_its_field_and_case_does_not_matter(self, client, newsroom):
        refused = body(get(client, list_url(), lang="fr"))
        assert refused["error"].startswith("lang: ") and list(refused["fields"]) == ["lang"]
        english = get(client, list_url(), lang="EN")
        assert english.status_code == 200 and english["Content-Language"] == "en"

    @pytest.mark.parametrize(
        "path, params",
        [
            ("api:search", {}),
            ("api:search", {"q": "!!"}),
            ("api:search", {"q": "سوق", "date_from": "2026-13-45"}),
            ("api:search", {"q": "سوق", "cursor": "e30"}),
            ("api:most-read", {"period": "year"}),
            ("api:author-list", {"cursor": "%%%"}),
        ],
    )
    def test_other_endpoints_refuse_with_400(self, client, path, params):
        response = get(client, reverse(path), **params)
        assert response.status_code == 400
        assert body(response)["error"]

    def test_arabic_cursor_message(self, client, newsroom):
        assert body(get(client, list_url(), cursor="zz"))["error"] == (
            "cursor: المؤشر غير صالح: استعمل المؤشر الذي أعطته الصفحة السابقة."
        )

    def test_unknown_address_and_writes_are_json(self, client):
        missing = client.get("/api/v1/nothing-here/")
        assert missing.status_code == 404 and body(missing)["error"]
        posted = client.post(list_url(), {})
        assert posted.status_code == 405 and body(posted)["error"]

    def test_a_missing_slash_is_added(self, client):
        response = client.get("/api/v1/articles?limit=2")
        assert response.status_code == 301 and response["Location"] == "/api/v1/articles/?limit=2"
        assert client.get("/api/v1/nothing").status_code == 404

    @pytest.mark.parametrize("value", ["\x00", "a\x00b", "%", "'", "٣", "𝔸" * 600, "[]", "-1"])
    @pytest.mark.parametrize(
        "path", ["api:article-list", "api:author-list", "api:most-read", "api:search"]
    )
    def test_no_value_of_any_parameter_is_a_500(self, path, value):
        client = Client(raise_request_exception=False)
        for name in ("section", "author", "cursor", "limit", "lang", "period", "q", "date_from"):
            params = {"q": "سوق", name: value}
            assert client.get(reverse(path), params).status_code < 500, (name, value)

    @pytest.mark.parametrize("path", ["/api/v1/articles/%00/", "/ar/news/%00/", "/ar/%00/"])
    def test_a_nul_byte_in_the_path_is_a_404(self, path):
        client = Client(raise_request_exception=False)
        assert client.get(path).status_code == 404

    def test_huge_id_is_a_404(self, client):
        assert client.get("/api/v1/articles/99999999999999999999999/").status_code == 404


class TestCursor:
    def test_an_app_pages_through_everything_once_even_while_articles_appear(self, client):
        section = make_section()
        made = [make_article(section=section, ago=timedelta(minutes=i)) for i in range(7)]
        # Two articles at the very same time: the id breaks the tie.
        Article.objects.filter(pk__in=[made[3].pk, made[4].pk]).update(
            published_at=made[3].published_at
        )
        seen, url = [], list_url() + "?limit=3"
        while url:
            data = body(client.get(url))
            seen += [item["id"] for item in data["results"]]
            if len(seen) == 3:
                make_article(section=section, ago=timedelta(seconds=1))  # arrives meanwhile
            url = data["next"]
            assert url is None or url.startswith("http://testserver/api/v1/articles/?")
        expected = list(
            Article.objects.filter(pk__in=[a.pk for a in made])
            .order_by("-published_at", "-id")
            .values_list("pk", flat=True)
        )
        assert seen == expected

    def test_next_link_keeps_only_the_parameters_of_the_answer(self, client, newsroom):
        make_article(section=newsroom["politics"])
        data = body(
            get(client, list_url(), section=newsroom["politics"].slug, limit=1, utm_source="x")
        )
        assert "utm_source" not in data["next"] and "limit=1" in data["next"]


class TestCaching:
    def test_second_request_is_a_hit_and_conditional_gets_answer_304(self, client, newsroom):
        url = detail_url(newsroom["live"])
        first = client.get(url)
        assert first["X-Page-Cache"] == "miss"
        assert "public" in first["Cache-Control"] and "s-maxage" in first["Cache-Control"]
        assert "Accept-Language" in first["Vary"]
        assert first["Access-Control-Allow-Origin"] == "*"
        second = client.get(url)
        assert second["X-Page-Cache"] == "hit" and second.content == first.content
        assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
        since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        assert since.status_code == 304

    def test_languages_are_cached_apart(self, client, newsroom):
        Article.objects.filter(pk=newsroom["live"].pk).update(title_en="Council meets")
        client.get(list_url())
        english = get(client, list_url(), lang="en")
        assert body(english)["results"][0]["title"] == "Council meets"

    def test_an_edit_refreshes_exactly_the_answers_that_show_it(self, client, newsroom):
        live, other = newsroom["live"], newsroom["other"]
        urls = {
            "live": detail_url(live),
            "other": detail_url(other),
            "list": list_url(),
            "sport": list_url() + f"?section={newsroom['sport'].slug}",
        }
        for url in urls.values():
            client.get(url)
        assert all(client.get(url)["X-Page-Cache"] == "hit" for url in urls.values())
        live.title_ar = "عنوان جديد"
        live.save()
        states = {name: client.get(url)["X-Page-Cache"] for name, url in urls.items()}
        assert states == {"live": "miss", "other": "hit", "list": "miss", "sport": "hit"}
        assert body(client.get(urls["live"]))["title"] == "عنوان جديد"

    def test_unpublishing_removes_the_article_at_once(self, client, newsroom):
        live = newsroom["live"]
        client.get(detail_url(live)), client.get(list_url())
        live.status = Article.Status.UNPUBLISHED
        live.save()
        assert client.get(detail_url(live)).status_code == 404
        assert live.pk not in [a["id"] for a in body(client.get(list_url()))["results"]]

    def test_correction_and_byline_refresh_the_detail(self, client, newsroom):
        live = newsroom["live"]
        client.get(detail_url(live))
        Correction.objects.create(article=live, text="تصحيح")
        assert body(client.get(detail_url(live)))["corrections"][0]["text"] == "تصحيح"
        Byline.objects.create(article=live, author=make_author("كاتب جديد"), position=5)
        assert len(body(client.get(detail_url(live)))["bylines"]) == 3

    def test_a_new_author_joins_the_cached_author_list(self, client, newsroom):
        url = reverse("api:author-list")
        before = len(body(client.get(url))["results"])
        make_author("كاتبة جديدة")
        assert len(body(client.get(url))["results"]) == before + 1

    def test_signed_in_users_are_not_served_from_nor_stored_in_the_cache(
        self, client, admin_user, newsroom
    ):
        client.force_login(admin_user)
        response = client.get(list_url())
        assert "private" in response["Cache-Control"] and "X-Page-Cache" not in response


class TestLimitsAndCost:
    def test_rate_limit_answers_429_json_with_retry_after(self, client, settings):
        settings.NEWSROOM_RATE_LIMIT_ENABLED = True
        settings.NEWSROOM_RATE_LIMITS = {**settings.NEWSROOM_RATE_LIMITS, "api": "2/60"}
        assert client.get(reverse("api:section-list")).status_code == 200
        assert client.get(reverse("api:section-list")).status_code == 200
        refused = client.get(reverse("api:section-list"))
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        assert body(refused)["error"] == "طلبات كثيرة جداً. يُرجى الانتظار قليلاً ثم المحاولة من جديد."
        assert "طلبات" in refused.content.decode()  # UTF-8, not \\u escapes, like other answers

    def test_list_queries_do_not_grow_with_the_page(
        self, client, settings, django_assert_num_queries
    ):
        settings.NEWSROOM_PAGE_CACHE_ENABLED = False
        section = make_section()
        for _ in range(3):
            make_article(section=section)
        with django_assert_num_queries(2):  # the page, its bylines
            client.get(list_url(), {"limit": 3})
        for _ in range(10):
            make_article(section=section)
        with django_assert_num_queries(2):
            client.get(list_url(), {"limit": 12})


class TestSchemaAndDocs:
    def test_every_route_is_described_and_every_description_is_a_route(self, client):
        document = body(client.get(reverse("api:openapi")))
        assert document["openapi"].startswith("3.1")
        resolver = get_resolver().url_patterns
        api = next(p for p in resolver if getattr(p, "namespace", None) == "api")
        routes = {
            "/" + str(p.pattern).replace("<int:pk>", "{id}")
            for p in api.url_patterns
            if isinstance(p, URLPattern) and p.name not in ("root", "openapi", "docs", "not-found")
        }
        assert routes == set(document["paths"])
        assert document == schema("http://testserver/api/v1/")

    def test_answers_have_exactly_the_described_fields(self, client, newsroom):
        components = schema("http://testserver/api/v1/")["components"]["schemas"]

        def described(name):
            parts = components[name].get("allOf", [components[name]])
            keys = set()
            for part in parts:
                keys |= (
                    described(part["$ref"].split("/")[-1])
                    if "$ref" in part
                    else set(part["properties"])
                )
            return keys

        detail = body(get(client, detail_url(newsroom["live"])))
        card = body(get(client, list_url()))["results"][0]
        author = body(get(client, reverse("api:author-list")))["results"][0]
        assert set(detail) == described("Article")
        assert set(card) == described("ArticleCard")
        assert set(author) == described("Author")
        assert set(detail["bylines"][0]) == described("AuthorRef")
        assert set(detail["section"]) == described("SectionRef")

    def test_docs_page_uses_no_script_and_nothing_from_elsewhere(self, client):
        page = client.get(reverse("api:docs")).content.decode()
        assert "<script" not in page
        assert "listArticles" in page and "api-docs.css" in page
        assert "http" not in "".join(
            line for line in page.splitlines() if "<link" in line or "src=" in line
        )
        # The page's own words in Arabic are not marked English (the document's are).
        arabic = client.get(reverse("api:docs"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
        assert (
            'lang="en">الخادم' not in arabic and 'section class="api-operation" dir' not in arabic
        )
        assert re.search(r'<td dir="ltr" lang="en">', arabic)
        assert "`" not in page and "<code>" in page  # the document's `names` as code


class TestLanguageNegotiation:
    @pytest.mark.parametrize(
        "header, expected",
        [
            ("en-US,en;q=0.9", "en"),
            ("fr;q=1, en;q=0.5", "en"),
            ("fr, de", "ar"),
            ("", "ar"),
            ("ar-SY", "ar"),
            ("*", "ar"),
            (";;;q=x,,", "ar"),
        ],
    )
    def test_accept_language(self, client, header, expected):
        response = client.get(reverse("api:section-list"), headers={"accept-language": header})
        assert response.status_code == 200 and response["Content-Language"] == expected

    def test_the_language_cookie_is_ignored(self, client, settings):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert client.get(reverse("api:section-list"))["Content-Language"] == "ar"


class TestTopicsAndStoryFiles:
    """The filters added once topics and story files reached main: one table entry each."""

    def test_articles_about_a_topic_and_the_topic_on_the_detail(self, client, newsroom):
        from articles.models import Topic

        topic = Topic.for_name("الانتخابات")
        newsroom["live"].topics.add(topic)
        listed = body(get(client, list_url(), topic=topic.slug))["results"]
        assert [a["id"] for a in listed] == [newsroom["live"].pk]
        detail = body(get(client, detail_url(newsroom["live"])))
        assert [t["name"] for t in detail["topics"]] == ["الانتخابات"]
        topic.name = "الانتخابات المحلية"
        topic.save()
        detail = body(get(client, detail_url(newsroom["live"])))
        assert [t["name"] for t in detail["topics"]] == ["الانتخابات المحلية"]
        # Tagging another article refreshes the cached topic list.
        newsroom["other"].topics.add(topic)
        listed = body(get(client, list_url(), topic=topic.slug))["results"]
        assert {a["id"] for a in listed} == {newsroom["live"].pk, newsroom["other"].pk}
        assert get(client, list_url(), topic="لا-يوجد").status_code == 400

    def test_articles_of_a_story_file(self, client, newsroom):
        from articles.models import StoryFile, StoryFileEntry

        story = StoryFile.objects.create(title="ملف الموازنة")
        StoryFileEntry.objects.create(story_file=story, article=newsroom["other"], position=1)
        listed = body(get(client, list_url(), file=story.slug))["results"]
        assert [a["id"] for a in listed] == [newsroom["other"].pk]
        StoryFileEntry.objects.create(story_file=story, article=newsroom["draft"], position=2)
        StoryFileEntry.objects.create(story_file=story, article=newsroom["live"], position=3)
        listed = body(get(client, list_url(), file=story.slug))["results"]
        assert [a["id"] for a in listed] == [newsroom["live"].pk, newsroom["other"].pk]


class TestTheSchemaStatesWhatIsEnforced:
    """Issue #33: a client generated from the OpenAPI document, or a schema-driven fuzzer,
    finds every refusal described: each constraint below is in the document and enforced."""

    @staticmethod
    def parameter(operation_path, name):
        operation = schema("http://testserver/api/v1/")["paths"][operation_path]["get"]
        return next(p for p in operation["parameters"] if p["name"] == name)

    def test_every_operation_states_400_and_429_and_every_detail_404(self):
        for path, item in schema("http://testserver/api/v1/")["paths"].items():
            responses = item["get"]["responses"]
            assert {"200", "400", "429"} <= set(responses), path
            if "{id}" in path:
                assert "404" in responses, path

    def test_an_empty_or_too_long_query_is_refused_as_described(self, client, newsroom):
        q = self.parameter("/search/", "q")
        assert q["required"] is True
        low, high = q["schema"]["minLength"], q["schema"]["maxLength"]
        url = reverse("api:search")
        assert get(client, url).status_code == 400  # no q at all
        assert get(client, url, q="").status_code == 400
        assert get(client, url, q=" " * low).status_code == 400
        assert get(client, url, q="ب" * (high + 1)).status_code == 400
        assert get(client, url, q="ب" * low).status_code == 200
        assert get(client, url, q="ب" * high).status_code == 200

    def test_a_cursor_is_opaque_and_one_not_given_is_refused(self, client, newsroom):
        cursor = self.parameter("/articles/", "cursor")
        assert "Opaque" in cursor["description"] and "400" in cursor["description"]
        too_long = "a" * (cursor["schema"]["maxLength"] + 1)
        assert get(client, list_url(), cursor=too_long).status_code == 400
        assert get(client, list_url(), cursor="not-a-cursor").status_code == 400
        # Empty is the first page, as the schema says (it said at least one character).
        assert "minLength" not in cursor["schema"] and "empty" in cursor["description"]
        assert (
            body(get(client, list_url(), cursor=""))["results"]
            == body(get(client, list_url()))["results"]
        )
        first = body(get(client, list_url(), limit=1))
        if first["next_cursor"]:
            again = get(client, list_url(), limit=1, cursor=first["next_cursor"])
            assert again.status_code == 200

    def test_a_section_that_does_not_exist_is_refused_as_described(self, client, newsroom):
        for path, url in (
            ("/articles/", list_url()),
            ("/most-read/", reverse("api:most-read")),
        ):
            assert "400" in self.parameter(path, "section")["description"]
            assert get(client, url, section="no-such-section").status_code == 400
        assert "400" in self.parameter("/search/", "section")["description"]
        answer = get(client, reverse("api:search"), q="خبر", section="no-such-section")
        assert answer.status_code == 400

    def test_an_unknown_language_is_refused_as_described(self, client):
        assert "400" in LANG["description"]
        assert get(client, reverse("api:section-list"), lang="fr").status_code == 400
