"""Whole-page cache: who gets a cached page, its headers, and exact invalidation."""

import time
from datetime import timedelta

import pytest
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.views.generic import View

from articles.models import Article, Byline
from caching import pagecache
from tests.comments.conftest import publish_comment
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_skew_margin(settings):
    """Fixtures are written just before the first request; in tests clocks cannot skew."""
    settings.NEWSROOM_PAGE_CACHE_SKEW_SECONDS = 0


def home_url(lang="ar"):
    with translation.override(lang):
        return reverse("articles:home")


@pytest.fixture
def two_desks():
    """Article A (section S1, author P) and an unrelated article B (section S2, author Q)."""
    s1, s2 = make_section("سياسة"), make_section("رياضة")
    p, q = make_author("سلمى الحسن"), make_author("عمر الخطيب")
    a = make_article("خبر السياسة", section=s1, authors=[p])
    b = make_article("خبر الرياضة", section=s2, authors=[q])
    pages = {
        "A": a.get_absolute_url(),
        "B": b.get_absolute_url(),
        "S1": s1.get_absolute_url(),
        "S2": s2.get_absolute_url(),
        "P": p.get_absolute_url(),
        "Q": q.get_absolute_url(),
        "home": home_url(),
    }
    return {"a": a, "b": b, "s1": s1, "s2": s2, "p": p, "q": q, "pages": pages}


def prime(client, pages):
    for path in pages.values():
        assert client.get(path)["X-Page-Cache"] == "miss", path
    for path in pages.values():
        assert client.get(path)["X-Page-Cache"] == "hit", path


def states(client, pages):
    """Which pages are still served from the cache."""
    return {name: client.get(path).get("X-Page-Cache") for name, path in pages.items()}


class TestWhoGetsCachedPages:
    def test_second_anonymous_request_is_a_hit_without_queries(
        self, client, two_desks, django_assert_num_queries
    ):
        path = two_desks["pages"]["A"]
        first = client.get(path)
        assert first["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            second = client.get(path)
        assert second["X-Page-Cache"] == "hit"
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]

    @pytest.mark.parametrize("page", ["A", "S1", "P", "home"])
    def test_public_headers(self, client, two_desks, page, settings):
        settings.NEWSROOM_EDGE_CACHE_SECONDS = 2
        for response in (
            client.get(two_desks["pages"][page]),
            client.get(two_desks["pages"][page]),
        ):
            cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
            assert {"public", "max-age=0", "must-revalidate", "s-maxage=2"} <= cache_control
            assert response["ETag"].startswith('"')
            assert response["Last-Modified"].endswith("GMT")
            assert "Cookie" in response["Vary"]
            assert not response.cookies

    def test_etag_revalidation_gives_304(self, client, two_desks):
        path = two_desks["pages"]["A"]
        etag = client.get(path)["ETag"]
        response = client.get(path, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert response.content == b""
        assert client.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200

    def test_staff_never_get_nor_fill_the_cache(self, client, two_desks, admin_user):
        path = two_desks["pages"]["A"]
        staff = Client()
        staff.force_login(admin_user)
        response = staff.get(path)
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]
        assert client.get(path)["X-Page-Cache"] == "miss"  # the staff page was not kept
        assert client.get(path)["X-Page-Cache"] == "hit"
        assert "X-Page-Cache" not in staff.get(path)  # nor served from it

    def test_a_reader_with_a_session_bypasses_the_cache(self, client, two_desks, settings):
        path = two_desks["pages"]["home"]
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit"
        reader = Client()
        reader.cookies[settings.SESSION_COOKIE_NAME] = "some-session"
        response = reader.get(path)
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]

    def test_a_pending_flash_message_bypasses_the_cache(self, client, two_desks):
        path = two_desks["pages"]["home"]
        client.get(path)
        reader = Client()
        reader.cookies["messages"] = "x"
        assert "X-Page-Cache" not in reader.get(path)

    def test_a_page_with_a_csrf_token_is_never_kept(self, settings):
        """A cached CSRF token would be someone else's: such pages stay private."""
        template = engines["django"].from_string("<form>{% csrf_token %}</form>")

        class FormPage(pagecache.CachedPageMixin, View):
            def get(self, request):
                return TemplateResponse(request, template, {})

            def page_tags(self, context):
                return {"form"}

        view = FormPage.as_view()
        factory = RequestFactory()
        for _ in range(2):
            response = view(factory.get("/ar/form/"))
            response.render()
            assert "csrfmiddlewaretoken" in response.content.decode()
            assert response.get("X-Page-Cache") is None
            assert "private" in response["Cache-Control"]

    def test_disabled_by_setting(self, client, two_desks, settings):
        settings.NEWSROOM_PAGE_CACHE_ENABLED = False
        path = two_desks["pages"]["A"]
        client.get(path)
        assert "X-Page-Cache" not in client.get(path)

    def test_query_strings_other_than_page_share_one_entry(self, client, two_desks):
        path = two_desks["pages"]["S1"]
        client.get(path)
        assert client.get(path + "?utm_source=x")["X-Page-Cache"] == "hit"
        assert client.get(path + "?page=1")["X-Page-Cache"] == "miss"

    def test_languages_are_cached_apart(self, client, two_desks):
        client.get(home_url("ar"))
        english = client.get(home_url("en"))
        assert english["X-Page-Cache"] == "miss"
        assert '<html lang="en"' in english.content.decode()


class TestExactInvalidation:
    """A change refreshes every page that shows it, and leaves the others cached."""

    def test_editing_article_a(self, client, two_desks, django_capture_on_commit_callbacks):
        pages = two_desks["pages"]
        prime(client, pages)
        a = two_desks["a"]
        with django_capture_on_commit_callbacks(execute=True):
            a.title_ar = "عنوان جديد للخبر"
            a.save()
        assert states(client, pages) == {
            "A": "miss", "S1": "miss", "P": "miss", "home": "miss",
            "B": "hit", "S2": "hit", "Q": "hit",
        }  # fmt: skip
        for name in ("A", "S1", "P", "home"):
            assert "عنوان جديد للخبر" in client.get(pages[name]).content.decode()

    def test_publishing_a_new_article_in_s1(
        self, client, two_desks, django_capture_on_commit_callbacks
    ):
        pages = two_desks["pages"]
        prime(client, pages)
        with django_capture_on_commit_callbacks(execute=True):
            fresh = make_article(
                "خبر عاجل جديد", section=two_desks["s1"], authors=[two_desks["p"]], published=False
            )
        assert set(states(client, pages).values()) == {"hit"}  # a draft changes no page
        with django_capture_on_commit_callbacks(execute=True):
            fresh.status = Article.Status.PUBLISHED
            fresh.save()
        assert states(client, pages) == {
            "S1": "miss", "P": "miss", "home": "miss",
            "A": "hit", "B": "hit", "S2": "hit", "Q": "hit",
        }  # fmt: skip
        for name in ("S1", "P", "home"):
            assert "خبر عاجل جديد" in client.get(pages[name]).content.decode()

    def test_unpublishing_article_a(self, client, two_desks, django_capture_on_commit_callbacks):
        pages = two_desks["pages"]
        prime(client, pages)
        a = two_desks["a"]
        with django_capture_on_commit_callbacks(execute=True):
            a.status = Article.Status.DRAFT
            a.save()
        # not its kept page: the address of an article taken down answers 410 (docs/links.md)
        assert client.get(pages["A"]).status_code == 410
        for name in ("S1", "P", "home"):
            response = client.get(pages[name])
            assert response["X-Page-Cache"] == "miss"
            assert a.title not in response.content.decode()
        for name in ("B", "S2", "Q"):
            assert client.get(pages[name])["X-Page-Cache"] == "hit"

    def test_moving_article_a_to_s2(self, client, two_desks, django_capture_on_commit_callbacks):
        pages = two_desks["pages"]
        prime(client, pages)
        a = two_desks["a"]
        with django_capture_on_commit_callbacks(execute=True):
            a.section = two_desks["s2"]
            a.save()
        result = states(client, pages)
        assert result["S1"] == result["S2"] == result["A"] == "miss"
        assert result["B"] == result["Q"] == "hit"
        assert a.title in client.get(pages["S2"]).content.decode()

    def test_adding_an_author_to_a(self, client, two_desks, django_capture_on_commit_callbacks):
        pages = two_desks["pages"]
        prime(client, pages)
        with django_capture_on_commit_callbacks(execute=True):
            Byline.objects.create(article=two_desks["a"], author=two_desks["q"], position=1)
        result = states(client, pages)
        assert result["A"] == result["Q"] == result["S1"] == result["home"] == "miss"
        assert result["B"] == result["S2"] == "hit"
        assert two_desks["a"].title in client.get(pages["Q"]).content.decode()

    def test_renaming_section_s2(self, client, two_desks, django_capture_on_commit_callbacks):
        pages = two_desks["pages"]
        prime(client, pages)
        s2 = two_desks["s2"]
        with django_capture_on_commit_callbacks(execute=True):
            s2.name_ar = "الرياضة والشباب"
            s2.save()
        result = states(client, pages)
        # Every page's header lists the sections by name (the sections menu), so renaming
        # one refreshes them all; nothing is served with the old name.
        assert set(result.values()) == {"miss"}

    def test_approving_a_comment_refreshes_only_its_article(
        self, client, two_desks, django_capture_on_commit_callbacks
    ):
        pages = two_desks["pages"]
        prime(client, pages)
        with django_capture_on_commit_callbacks(execute=True):
            comment = publish_comment(two_desks["a"], text="تعليق ينتظر الموافقة", is_public=False)
        assert set(states(client, pages).values()) == {"hit"}  # not shown yet: nothing changes
        with django_capture_on_commit_callbacks(execute=True):
            comment.is_public = True
            comment.save()
        assert states(client, pages) == {
            "A": "miss",
            "S1": "hit", "P": "hit", "home": "hit", "B": "hit", "S2": "hit", "Q": "hit",
        }  # fmt: skip

    def test_scheduled_article_appears_when_its_time_comes(
        self, client, two_desks, django_capture_on_commit_callbacks
    ):
        import time_machine

        pages = two_desks["pages"]
        with django_capture_on_commit_callbacks(execute=True):
            make_article(
                "خبر مجدول", section=two_desks["s1"], authors=[two_desks["p"]],
                ago=-timedelta(minutes=30),
            )  # fmt: skip
        prime(client, {"S1": pages["S1"], "home": pages["home"]})
        assert "خبر مجدول" not in client.get(pages["home"]).content.decode()
        with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
            for name in ("S1", "home"):
                response = client.get(pages[name])
                assert response["X-Page-Cache"] == "miss"
                assert "خبر مجدول" in response.content.decode()

    def test_a_page_rendered_while_its_data_changed_is_not_kept(self, rf, two_desks):
        """The race: a render started before a bump may hold old data, so it is not stored."""
        request = rf.get(two_desks["pages"]["A"])
        started = time.time_ns()
        pagecache.bump_now("article:1")  # a write commits while the page renders
        response = TemplateResponse(request, engines["django"].from_string("x"), {})
        response.render()
        key = pagecache.page_key(request)
        pagecache.store_response(request, response, key, {"article:1"}, started, float("inf"))
        assert response["X-Page-Cache"] == "miss-not-stored"
        assert pagecache.page_cache().get(key) is None
        pagecache.store_response(request, response, key, {"article:1"}, time.time_ns(), 1e12)
        assert response["X-Page-Cache"] == "miss"
        assert pagecache.cached_response(request, key) is not None


# Rendered with a cold "most read" cache (home and article pages show the lists, issue 4);
# every page also runs the sections menu query and the footer's static pages query. The
# article page: its frame (the published check), then for its fragments the article with its
# bylines and topics (one query, issue 33; it also says whether there are corrections to ask
# for: here there are none), related links and comments. +1 on
# every page for the live coverage states when the cache is cold (issue 17: which cards and
# articles are live, live/cache.py). +1 for the breaking-news
# ticker (issue 19, desk/) when the cache is cold. +1 on the home and section pages for whether
# an editors' layout is live for them when the cache is cold (issue 31, frontpage/cache.py).
@pytest.mark.parametrize(("page", "queries"), [("home", 12), ("A", 9), ("S1", 9), ("P", 8)])
def test_query_budget_rendered_then_cached(
    client, two_desks, page, queries, django_assert_num_queries
):
    """Pinned: a render runs a fixed number of queries; a cached page runs none."""
    path = two_desks["pages"][page]
    with django_assert_num_queries(queries):
        assert client.get(path)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert client.get(path)["X-Page-Cache"] == "hit"


def test_function_views_and_feeds(client, two_desks, rf, django_capture_on_commit_callbacks):
    """``cached_page`` for function views; the ``live-content`` tag follows every live article."""
    from django.http import HttpResponse

    calls = []

    @pagecache.cached_page(lambda request: {"live-content"})
    def feed(request):
        calls.append(1)
        return HttpResponse(f"<rss>{len(calls)}</rss>", content_type="application/rss+xml")

    def get():
        request = rf.get("/ar/feed/")
        request.LANGUAGE_CODE = "ar"
        return feed(request)

    assert (get()["X-Page-Cache"], get()["X-Page-Cache"]) == ("miss", "hit")
    assert get().content == b"<rss>1</rss>"
    with django_capture_on_commit_callbacks(execute=True):
        two_desks["b"].lead_ar = "ملخص جديد"
        two_desks["b"].save()
    assert get().content == b"<rss>2</rss>"
    with django_capture_on_commit_callbacks(execute=True):
        make_article("مسودة", published=False)
    assert get()["X-Page-Cache"] == "hit"  # a draft is in no feed


def test_an_evicted_tag_version_never_revives_a_stale_page(client, two_desks):
    """Tag versions can be evicted; a page must not become current again when that happens."""
    path = two_desks["pages"]["A"]  # depends on comments:<A>, a tag never bumped before
    client.get(path)
    assert client.get(path)["X-Page-Cache"] == "hit"
    tag = f"comments:{two_desks['a'].pk}"
    pagecache.bump_now(tag)  # a comment was approved: the page is stale now…
    pagecache.page_cache().delete(pagecache.TAG_PREFIX + tag)  # …then the version is evicted
    assert client.get(path)["X-Page-Cache"] == "miss"
    assert client.get(path)["X-Page-Cache"] == "hit"  # stored again, with a fresh version


def test_purge_pages_command(client, two_desks):
    from django.core.management import call_command

    pages = two_desks["pages"]
    prime(client, pages)
    call_command("purge_pages", "--tag", f"section-list:{two_desks['s2'].pk}", verbosity=0)
    result = states(client, pages)
    assert result["S2"] == "miss"
    assert result["S1"] == result["A"] == result["home"] == "hit"
    call_command("purge_pages", "--dry-run", verbosity=0)
    assert client.get(pages["A"])["X-Page-Cache"] == "hit"
    call_command("purge_pages", verbosity=0)
    assert set(states(client, pages).values()) == {"miss"}


def search_url(query, **params):
    with translation.override("ar"):
        path = reverse("discovery:search")
    from urllib.parse import urlencode

    return f"{path}?{urlencode({'q': query, **params})}"


def results(response) -> str:
    """The text of a search page's results (highlighting marks removed)."""
    import re

    html = response.content.decode()
    listed = html.split('<ol class="search-results">', 1)[-1].split("</ol>", 1)[0]
    return re.sub(r"<[^>]+>", "", listed)


class TestSearchPages:
    """Each search is a page of its own, refreshed by any change to live content."""

    def test_a_repeated_search_is_a_hit_without_queries(
        self, client, two_desks, django_assert_num_queries
    ):
        path = search_url("خبر")
        first = client.get(path)
        assert first["X-Page-Cache"] == "miss"
        assert two_desks["a"].title_ar in results(first)
        with django_assert_num_queries(0):
            second = client.get(path)
        assert second["X-Page-Cache"] == "hit"
        assert second.content == first.content
        assert "public" in second["Cache-Control"]

    def test_words_filters_and_pages_are_pages_apart(self, client, two_desks):
        client.get(search_url("خبر"))
        assert client.get(search_url("خبر") + "&utm_source=x")["X-Page-Cache"] == "hit"
        for other in (
            search_url("السياسة"),
            search_url("خبر", section=two_desks["s1"].slug),
            search_url("خبر", date_from="2020-01-01"),
            search_url("خبر", date_to="2030-01-01"),
            search_url("خبر", page="1"),
        ):
            response = client.get(other)
            assert response["X-Page-Cache"] == "miss", other
        only_s2 = results(client.get(search_url("خبر", section=two_desks["s2"].slug)))
        assert two_desks["b"].title_ar in only_s2 and two_desks["a"].title_ar not in only_s2

    def test_publishing_refreshes_the_results_and_a_draft_does_not(
        self, client, two_desks, django_capture_on_commit_callbacks
    ):
        path = search_url("زلزال")
        assert "زلزال" not in results(client.get(path))
        with django_capture_on_commit_callbacks(execute=True):
            fresh = make_article("زلزال في الشمال", section=two_desks["s1"], published=False)
        assert client.get(path)["X-Page-Cache"] == "hit"  # a draft is in no result
        with django_capture_on_commit_callbacks(execute=True):
            fresh.status = Article.Status.PUBLISHED
            fresh.save()
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss"
        assert "زلزال في الشمال" in results(response)

    def test_unpublishing_and_renaming_an_author_refresh_the_results(
        self, client, two_desks, django_capture_on_commit_callbacks
    ):
        path = search_url("خبر")
        client.get(path)
        with django_capture_on_commit_callbacks(execute=True):
            two_desks["a"].status = Article.Status.DRAFT
            two_desks["a"].save()
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss"
        assert two_desks["a"].title_ar not in results(response)
        with django_capture_on_commit_callbacks(execute=True):
            two_desks["q"].name_ar = "عمر الخطيب الجديد"
            two_desks["q"].save()
        assert client.get(path)["X-Page-Cache"] == "miss"

    def test_a_comment_leaves_the_results_cached(
        self, client, two_desks, django_capture_on_commit_callbacks
    ):
        path = search_url("خبر")
        client.get(path)
        with django_capture_on_commit_callbacks(execute=True):
            publish_comment(two_desks["a"], text="تعليق")
        assert client.get(path)["X-Page-Cache"] == "hit"

    def test_a_scheduled_article_is_found_when_its_time_comes(
        self, client, two_desks, django_capture_on_commit_callbacks
    ):
        import time_machine

        with django_capture_on_commit_callbacks(execute=True):
            make_article("إعصار مجدول", section=two_desks["s1"], ago=-timedelta(minutes=30))
        path = search_url("إعصار")
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit"
        with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
            response = client.get(path)
            assert response["X-Page-Cache"] == "miss"
            assert "إعصار مجدول" in results(response)

    def test_staff_searches_are_private(self, client, two_desks, admin_user):
        client.force_login(admin_user)
        response = client.get(search_url("خبر"))
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]
        assert Client().get(search_url("خبر"))["X-Page-Cache"] == "miss"

    def test_a_page_stored_for_everyone_repeats_no_readers_parameters(self, client, two_desks):
        for number in range(11):  # two pages of results
            make_article(f"خبر متابعة {number}", section=two_desks["s1"])
        html = client.get(search_url("خبر", utm_source="campaign")).content.decode()
        assert "campaign" not in html
        assert 'rel="next" href="?q=%D8%AE%D8%A8%D8%B1&amp;page=2"' in html
        assert client.get(search_url("خبر"))["X-Page-Cache"] == "hit"


class TestCollectedBumps:
    """Bulk jobs invalidate once per batch: the same pages go stale, with far fewer writes."""

    def test_changes_inside_the_block_invalidate_when_it_ends(
        self, client, two_desks, django_capture_on_commit_callbacks
    ):
        pages = two_desks["pages"]
        prime(client, pages)
        with pagecache.bumps_collected() as bumps:
            with django_capture_on_commit_callbacks(execute=True):
                two_desks["a"].title_ar = "خبر السياسة المعدل"
                two_desks["a"].save()
            assert states(client, pages)["A"] == "hit"  # not yet: collected
            assert f"article:{two_desks['a'].pk}" in bumps.tags
        result = states(client, pages)
        assert result["A"] == result["S1"] == result["home"] == "miss"
        assert result["B"] == result["S2"] == "hit"

    def test_flush_writes_each_tag_once(self, monkeypatch):
        writes = []
        cache = pagecache.page_cache()
        original = type(cache).set_many
        monkeypatch.setattr(
            type(cache),
            "set_many",
            lambda self, data, **kw: writes.append(data) or original(self, data, **kw),
        )
        with pagecache.bumps_collected() as bumps:
            for _ in range(100):
                pagecache.bump_now("home", "article:1")
            assert writes == []
            bumps.flush()
            assert len(writes) == 1 and len(writes[0]) == 2
            pagecache.bump_now("home")
        assert len(writes) == 2
