"""Kept fragments (caching/fragments.py): fast renders for readers the page cache cannot
serve, refreshed exactly when what they show changes."""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article, Section
from caching import fragments, pagecache
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
# The kept blank form is renewed each minute (comments_tags.FORM_FRAGMENT_SECONDS) with a fresh
# signed timestamp, so two requests either side of a minute's turn differ there and only there.
FORM_MINUTE = re.compile(r'name="(timestamp|security_hash)" value="[^"]+"')


def per_reader_parts_removed(html):
    return FORM_MINUTE.sub("", TOKEN.sub("", html))


@pytest.fixture(autouse=True)
def _fragments_without_page_cache(settings):
    """Every request renders (as for a reader with a session); fragments may be kept."""
    settings.NEWSROOM_PAGE_CACHE_ENABLED = False
    settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = True
    settings.NEWSROOM_PAGE_CACHE_SKEW_SECONDS = 0


@pytest.fixture
def desk():
    s1, s2 = make_section("سياسة"), make_section("رياضة")
    a = make_article("خبر السياسة", section=s1, authors=[make_author("سلمى الحسن")])
    b = make_article("خبر الرياضة", section=s2, authors=[make_author("عمر الخطيب")])
    return {"a": a, "b": b, "s1": s1, "s2": s2}


def kept(article, language="ar"):
    """Whether the article's fragment is in the cache and current."""
    key = f"{fragments.FRAGMENT_PREFIX}article:{article.pk}:{language}:http://testserver"
    return fragments._fresh(pagecache.page_cache().get(key))


def test_editing_an_article_refreshes_its_fragments_and_no_others(client, desk):
    a, b = desk["a"], desk["b"]
    client.get(a.get_absolute_url())
    client.get(b.get_absolute_url())
    assert kept(a) and kept(b)
    a.title_ar = "عنوان بعد التصحيح"
    a.save()
    assert not kept(a), "the edit made the kept article stale"
    assert kept(b), "an unrelated article keeps its fragment"
    assert "عنوان بعد التصحيح" in client.get(a.get_absolute_url()).content.decode()


def test_unpublishing_is_seen_at_once_although_the_fragment_was_kept(client, desk):
    a = desk["a"]
    assert client.get(a.get_absolute_url()).status_code == 200
    Article.objects.filter(pk=a.pk).update(status=Article.Status.UNPUBLISHED)  # no signals
    assert client.get(a.get_absolute_url()).status_code == 404


def test_renaming_a_section_refreshes_the_menu_of_every_page(client, desk):
    client.get(desk["b"].get_absolute_url())
    section = Section.objects.get(pk=desk["s1"].pk)
    section.name_ar = "شؤون سياسية"
    section.save()
    assert "شؤون سياسية" in client.get(desk["b"].get_absolute_url()).content.decode()


def test_a_render_overtaken_by_a_change_is_used_but_not_kept():
    calls = []

    def render():
        calls.append(1)
        pagecache.bump_now("article:99")  # an editor saves while this renders
        return "<p>old</p>", {"article:99"}

    first = fragments.cached_fragment("test:overtaken", render)
    assert str(first.html) == "<p>old</p>" and not first.hit
    fragments.cached_fragment("test:overtaken", render)
    assert len(calls) == 2, "the overtaken render was not kept"


def test_a_kept_fragment_is_served_until_its_tag_is_bumped():
    renders = []

    def render():
        renders.append(time.time_ns())
        return f"<p>{len(renders)}</p>", {"article:7"}

    assert not fragments.cached_fragment("test:kept", render).hit
    again = fragments.cached_fragment("test:kept", render)
    assert again.hit and str(again.html) == "<p>1</p>" and "article:7" in again.tags
    pagecache.bump_now("article:7")
    fresh = fragments.cached_fragment("test:kept", render)
    assert not fresh.hit and str(fresh.html) == "<p>2</p>"


def test_switched_off_renders_every_time(settings):
    settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = False
    renders = []

    def render():
        renders.append(1)
        return "<p>x</p>", {"article:8"}

    fragments.cached_fragment("test:off", render)
    fragments.cached_fragment("test:off", render)
    assert len(renders) == 2


def test_a_staff_preview_of_a_draft_is_never_kept(client, admin_user):
    draft = make_article("مسودة لم تنشر", published=False)
    client.force_login(admin_user)
    content = client.get(draft.get_absolute_url()).content.decode()
    assert "مسودة لم تنشر" in content
    assert not kept(draft)
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_every_reader_gets_a_token_of_their_own_in_the_kept_form(desk):
    path = desk["a"].get_absolute_url()
    first, second = Client(), Client()
    one = first.get(path).content.decode()
    two = second.get(path).content.decode()
    token_one, token_two = TOKEN.search(one), TOKEN.search(two)
    assert token_one and token_two
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert per_reader_parts_removed(one) == per_reader_parts_removed(two), "the rest is the same"


def test_cached_pages_keep_carrying_no_token(settings, desk):
    settings.NEWSROOM_PAGE_CACHE_ENABLED = True
    content = Client().get(desk["a"].get_absolute_url()).content.decode()
    assert 'id="comment-form"' in content
    assert "csrfmiddlewaretoken" not in content
    assert "<!--csrf-token-->" not in content


def fragment_queries(client, path, django_assert_num_queries, queries):
    client.get(path)
    with django_assert_num_queries(queries):
        return client.get(path).content.decode()


def test_home_renders_from_its_kept_content_without_queries(
    client, desk, django_assert_num_queries
):
    home = reverse("articles:home")
    content = fragment_queries(client, home, django_assert_num_queries, 0)
    assert "خبر السياسة" in content and "خبر الرياضة" in content
    make_article("خبر عاجل جديد", section=desk["s1"])
    assert "خبر عاجل جديد" in client.get(home).content.decode()


def test_section_and_author_pages_keep_their_cards_per_page(
    client, desk, settings, django_assert_num_queries
):
    section = desk["s1"]
    for n in range(13):
        make_article(f"خبر قديم {n}", section=section, ago=timedelta(days=2, minutes=n))
    path = section.get_absolute_url()
    first = fragment_queries(client, path, django_assert_num_queries, 1)  # the section
    second = fragment_queries(client, path + "?page=2", django_assert_num_queries, 1)
    assert "خبر السياسة" in first and "خبر السياسة" not in second
    article = desk["a"]
    article.title_ar = "خبر السياسة بعد التعديل"
    article.save()
    assert "خبر السياسة بعد التعديل" in client.get(path).content.decode()
    author_page = desk["a"].bylines.first().author.get_absolute_url()
    assert "خبر السياسة بعد التعديل" in fragment_queries(
        client, author_page, django_assert_num_queries, 1
    )


def test_other_query_parameters_are_kept_apart_from_the_links(
    client, desk, django_assert_num_queries
):
    """A page's own links carry only the parameters it is made of, so a list kept for
    ``?utm_source=x`` is the one everybody gets, and it never repeats that parameter."""
    for number in range(13):  # two pages of cards
        make_article(f"خبر إضافي {number}", section=desk["s1"])
    path = desk["s1"].get_absolute_url() + "?utm_source=x&fbclid=y"
    first = client.get(path).content.decode()
    assert 'href="?page=2"' in first
    assert "utm_source" not in first and "fbclid" not in first
    with django_assert_num_queries(1):  # the section; its list is kept
        again = client.get(desk["s1"].get_absolute_url()).content.decode()
    assert 'href="?page=2"' in again


def test_the_kept_form_is_renewed_at_the_minute_turn_with_a_fresh_timestamp(desk, monkeypatch):
    from types import SimpleNamespace

    from django_comments import forms as signing  # where the form's timestamp is made

    path = desk["a"].get_absolute_url()
    stamp = re.compile(r'name="timestamp" value="(\d+)"')
    turn = (int(time.time()) // 60 + 1) * 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: turn - 1))
    before = Client().get(path).content.decode()
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: turn))
    after = Client().get(path).content.decode()
    for html in (before, after):
        assert abs(time.time() - int(stamp.search(html).group(1))) < 60, "a fresh timestamp"
    assert per_reader_parts_removed(before) == per_reader_parts_removed(after)


def test_search_results_are_kept_until_live_content_changes(
    client, desk, django_assert_num_queries
):
    path = reverse("discovery:search") + "?q=" + "خبر"
    first = client.get(path).content.decode()
    assert first.count('class="search-result"') == 2
    with django_assert_num_queries(0):  # the whole page is kept: the form and its results
        assert client.get(path).content.decode() == first
    make_article("خبر ثالث عن الطقس", section=desk["s2"], published=False)
    with django_assert_num_queries(0):  # a draft is in no result
        client.get(path)
    desk["a"].title_ar = "خبر السياسة بعد التعديل"
    desk["a"].save()
    assert "بعد التعديل" in client.get(path).content.decode()
    assert client.get(path + "&page=9").status_code == 404
    with translation.override("en"):
        english = reverse("discovery:search") + "?q=" + "خبر"
    english_results = client.get(english).content.decode().split('class="search-count"')[1]
    # Kept apart per language: an Arabic query on the English site finds the Arabic text, and
    # its results lead to the English pages.
    assert english_results.count('class="search-result"') == 2
    assert "/en/news/" in english_results and "/ar/news/" not in english_results


def with_flash_message(reader: Client, text: str) -> Client:
    """``reader`` with a pending flash message (Django's signed messages cookie)."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    storage = CookieStorage(RequestFactory().get("/"))
    reader.cookies["messages"] = storage._encode([Message(constants.SUCCESS, text)])
    return reader


@pytest.mark.parametrize("page", ["home", "section", "author", "article"])
def test_pages_kept_whole_render_only_each_readers_messages(desk, page):
    """The home, list and article pages are kept whole: a later render draws only the
    per-request parts (the reader's flash messages) into it, and an edit refreshes it."""
    path = {
        "home": reverse("articles:home"),
        "section": desk["s1"].get_absolute_url(),
        "author": desk["a"].bylines.first().author.get_absolute_url(),
        "article": desk["a"].get_absolute_url(),
    }[page]
    first = Client().get(path)
    assert "base.html" in [t.name for t in first.templates], "the first render is whole"
    again = with_flash_message(Client(), "تم حفظ تفضيلاتك").get(path)
    rendered = {t.name for t in again.templates}
    assert "base.html" not in rendered and "includes/messages.html" in rendered
    html = again.content.decode()
    assert html.count("تم حفظ تفضيلاتك") == 1, "this reader's message, once"
    assert "تم حفظ تفضيلاتك" not in Client().get(path).content.decode(), "and no one else's"
    plain = Client().get(path).content.decode()

    def without_messages(page_html):
        page_html = re.sub(r'<ul class="messages".*?</ul>', "", page_html, flags=re.S)
        return re.sub(r"\s+", " ", per_reader_parts_removed(page_html))

    assert without_messages(html) == without_messages(plain), "the rest: the same kept page"
    desk["a"].title_ar = "خبر السياسة بعد التعديل"
    desk["a"].save()
    assert "خبر السياسة بعد التعديل" in Client().get(path).content.decode()


@pytest.mark.parametrize("page", ["home", "section", "article", "search"])
def test_breaking_news_reaches_pages_kept_whole_without_rendering_them_again(desk, page):
    """The ticker is drawn into a page kept whole per request, from its own kept fragment:
    a story flagged «عاجل» shows on every page at once, and a page that does not show the
    story itself is not rendered again for it (the moment readers come for it), though its
    page-cache copy is."""
    from datetime import timedelta

    news = make_article("زلزال في الساحل", section=desk["s2"], ago=timedelta(minutes=5))
    path = {
        "home": reverse("articles:home"),
        "section": desk["s1"].get_absolute_url(),
        "article": desk["a"].get_absolute_url(),
        "search": reverse("discovery:search") + "?q=" + "السياسة",
    }[page]
    first = Client().get(path)
    assert "base.html" in [t.name for t in first.templates], "the first render is whole"
    assert 'class="breaking-ticker"' not in first.content.decode()
    news.is_breaking = True
    news.save()
    again = with_flash_message(Client(), "تم").get(path)  # past the page cache: a cookie
    html = again.content.decode()
    assert 'class="breaking-ticker"' in html and "زلزال في الساحل" in html
    assert html.index('class="breaking-ticker"') < html.index('id="main"'), "in the header"
    rendered = {t.name for t in again.templates}
    if page in ("article", "section"):  # pages that do not show the story itself
        assert "base.html" not in rendered, "the kept page, not rendered again"
        assert "desk/ticker.html" in rendered, "only its ticker"
    if page == "article":
        assert kept(desk["a"]), "nor is the article's own fragment thrown away"
    cached = Client().get(path).content.decode()  # the page cache's copy was refreshed
    assert "زلزال في الساحل" in cached.split('id="main"')[0]
    news.is_breaking = False
    news.save()
    assert 'class="breaking-ticker"' not in Client().get(path).content.decode()


def articles_rendered(monkeypatch, view_class, method):
    """The ids of the articles whose ``view_class.method`` ran from now on, in order."""
    ids, original = [], getattr(view_class, method)
    monkeypatch.setattr(
        view_class, method, lambda view: ids.append(view.object.pk) or original(view)
    )
    return ids


def test_the_article_fragment_outlives_the_view_count_drawn_into_it(client, desk, monkeypatch):
    """The view count is drawn into the article's kept fragment on each page, from the frame
    query: the fragment (its text, related links, bylines: the costly part of a render) is no
    longer thrown away whenever "most read" may have moved, and a page rendered after that
    shows the count as it is then."""
    from django.conf import settings

    from articles.templatetags.articles_tags import view_count_label
    from articles.views import ArticleDetailView
    from counters.models import ArticleViewDay

    a = desk["a"]
    renders = articles_rendered(monkeypatch, ArticleDetailView, "render_fragment")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert view_count_label(0) in client.get(a.get_absolute_url()).content.decode()
        assert renders == [a.pk] and kept(a)
        ArticleViewDay.objects.create(article=a, day=timezone.localdate(), shard=0, views=41)
        clock.shift(timedelta(seconds=settings.NEWSROOM_MOST_READ_SECONDS + 1))
        assert kept(a), "the fragment holds no count that may have moved"
        content = client.get(a.get_absolute_url()).content.decode()
    assert view_count_label(41) in content and view_count_label(0) not in content
    assert renders == [a.pk], "the article's fragment was not rendered again"
    assert content.count('class="meta-views"') == 1 and "per-request:views" not in content


def test_the_article_page_kept_whole_draws_most_read_and_the_count_per_request(
    client, desk, monkeypatch
):
    """The article page kept whole leaves markers where the view count and the "most read"
    lists go and draws them per request from the frame query and their own kept fragments:
    it is no longer rendered again each time the lists may have moved."""
    from django.conf import settings

    from articles.templatetags.articles_tags import view_count_label
    from articles.views import ArticleDetailView
    from counters.models import ArticleViewDay

    a, b = desk["a"], desk["b"]
    wholes = articles_rendered(monkeypatch, ArticleDetailView, "render_whole")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = client.get(a.get_absolute_url()).content.decode()
        assert wholes == [a.pk]
        listed = first.split('id="most-read-site"', 1)  # no block while nothing was read
        assert len(listed) == 1 or "خبر الرياضة" not in listed[1]
        for article, count in ((a, 3), (b, 41)):
            ArticleViewDay.objects.create(
                article=article, day=timezone.localdate(), shard=0, views=count
            )
        clock.shift(timedelta(seconds=settings.NEWSROOM_MOST_READ_SECONDS + 1))
        content = client.get(a.get_absolute_url()).content.decode()
    assert wholes == [a.pk], "the page kept whole was not rendered again"
    most_read = content[content.index('id="most-read-site"') :]
    assert "خبر الرياضة" in most_read and view_count_label(41) in most_read
    meta = content[content.index('class="meta-views"') :]
    assert meta[: meta.index("</li>")].endswith(view_count_label(3))
    assert "per-request:" not in content
