"""Feeds (parsed by feedparser), sitemaps (parsed as XML), the news sitemap and robots.txt."""

from datetime import timedelta
from urllib.parse import unquote
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

from articles.models import Author, Section
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def url(name, lang="ar", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def desk():
    politics = make_section("سياسة", name_en="Politics")
    economy = make_section("اقتصاد")
    salma = make_author("سلمى الحسن")
    team = make_author("فريق ماسة", kind=Author.Kind.TEAM)
    return {
        "politics": politics,
        "economy": economy,
        "salma": salma,
        "team": team,
        "full": make_article(
            "الأجانب في دمشق & <حلب>",
            section=politics,
            authors=[salma, team],
            lead_ar="ملخص عن الإقامة",
            body_ar="<p>الفقرة الأولى من النص الكامل.</p><p>الفقرة الثانية.</p>",
            title_en="Foreigners in Damascus",
            body_en="<p>Full English text.</p>",
        ),
        "economy_news": make_article("أسعار الخبز", section=economy, authors=[team]),
        "old": make_article("خبر قديم", section=economy, authors=[salma], ago=timedelta(days=5)),
        "draft": make_article("مسودة سرية", section=politics, authors=[salma], published=False),
        "future": make_article("خبر الغد", section=politics, ago=-timedelta(hours=3)),
    }


def parse(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


class TestFeeds:
    @pytest.mark.parametrize("name", ["discovery:feed", "discovery:feed_atom"])
    def test_site_feed_has_full_arabic_text_and_only_published(self, client, desk, name):
        _response, feed = parse(client, url(name))
        assert feed.version in {"rss20", "atom10"}
        titles = [entry.title for entry in feed.entries]
        assert titles[:3] == ["أسعار الخبز", "الأجانب في دمشق & <حلب>", "خبر قديم"]
        assert "مسودة سرية" not in titles and "خبر الغد" not in titles
        entry = feed.entries[1]
        assert "الفقرة الثانية." in entry.content[0].value  # the full text, not a teaser
        assert entry.summary == "ملخص عن الإقامة"
        assert entry.author == "سلمى الحسن، فريق ماسة"
        assert entry.tags[0].term == "سياسة"
        assert entry.link == "http://testserver" + iri_to_uri(desk["full"].get_absolute_url())
        assert entry.published_parsed is not None

    def test_language_tags(self, client, desk):
        rss = client.get(url("discovery:feed")).content.decode()
        atom = client.get(url("discovery:feed_atom")).content.decode()
        assert "<language>ar</language>" in rss
        assert 'xml:lang="ar"' in atom
        assert "<language>en</language>" in client.get(url("discovery:feed", "en")).content.decode()

    def test_english_feed_lists_only_translated_articles(self, client, desk):
        _response, feed = parse(client, url("discovery:feed", "en"))
        assert [entry.title for entry in feed.entries] == ["Foreigners in Damascus"]
        assert "Full English text." in feed.entries[0].content[0].value
        assert feed.entries[0].link.startswith("http://testserver/en/news/")

    @pytest.mark.parametrize("kind", ["section_feed", "section_feed_atom"])
    def test_section_feed(self, client, desk, kind):
        _response, feed = parse(client, url(f"discovery:{kind}", slug=desk["economy"].slug))
        assert [e.title for e in feed.entries] == ["أسعار الخبز", "خبر قديم"]
        assert feed.feed.title == "اقتصاد | الماسة السورية"

    @pytest.mark.parametrize("kind", ["author_feed", "author_feed_atom"])
    def test_author_feed(self, client, desk, kind):
        _response, feed = parse(client, url(f"discovery:{kind}", slug=desk["salma"].slug))
        assert [e.title for e in feed.entries] == ["الأجانب في دمشق & <حلب>", "خبر قديم"]

    def test_unknown_section_feed_is_404(self, client, desk):
        assert client.get(url("discovery:section_feed", slug="لا-يوجد")).status_code == 404

    def test_pages_advertise_their_feeds(self, client, desk):
        home = client.get(url("articles:home")).content.decode()
        feed = url("discovery:feed")
        assert f'type="application/rss+xml" title="الماسة السورية (RSS)" href="{feed}"' in home
        section = client.get(desk["economy"].get_absolute_url()).content.decode()
        assert url("discovery:section_feed_atom", slug=desk["economy"].slug) in section


def full(path):
    return "http://testserver" + unquote(path)


def sitemap_urls(client, path):
    response = client.get(path)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return root


class TestSitemaps:
    def test_index_lists_the_sitemaps(self, client, desk):
        root = sitemap_urls(client, "/sitemap.xml")
        locations = [loc.text for loc in root.findall("s:sitemap/s:loc", SITEMAP_NS)]
        assert locations == [
            f"http://testserver/sitemap-{name}.xml"
            for name in ("home", "articles", "sections", "authors", "topics", "files", "pages")
        ]

    def test_articles_sitemap_has_hreflang_alternates(self, client, desk):
        root = sitemap_urls(client, "/sitemap-articles.xml")
        entries = {
            unquote(u.find("s:loc", SITEMAP_NS).text): u for u in root.findall("s:url", SITEMAP_NS)
        }
        full_ar = full(url("articles:detail", slug=desk["full"].slug))
        full_en = full(url("articles:detail", "en", slug=desk["full"].slug))
        # Published articles only; the translated one in both languages, the others in Arabic.
        assert set(entries) == {
            full_ar,
            full_en,
            full(desk["economy_news"].get_absolute_url()),
            full(desk["old"].get_absolute_url()),
        }
        for location in (full_ar, full_en):
            links = {
                link.get("hreflang"): unquote(link.get("href"))
                for link in entries[location].findall("xhtml:link", SITEMAP_NS)
            }
            assert links == {"ar": full_ar, "en": full_en}
        only_arabic = entries[full(desk["old"].get_absolute_url())]
        assert [link.get("hreflang") for link in only_arabic.findall("xhtml:link", SITEMAP_NS)] == [
            "ar"
        ]
        assert entries[full_ar].find("s:lastmod", SITEMAP_NS).text.startswith("20")

    def test_large_archives_are_paged_without_loading_everything(
        self, client, desk, monkeypatch, django_assert_max_num_queries
    ):
        from discovery.sitemaps import ArticleSitemap

        monkeypatch.setattr(ArticleSitemap, "limit", 2)  # articles per page
        index = sitemap_urls(client, "/sitemap.xml")
        locations = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
        assert "http://testserver/sitemap-articles.xml?p=2" in locations
        assert "http://testserver/sitemap-articles.xml?p=3" not in locations
        with django_assert_max_num_queries(3):  # site, count, one page of articles
            second = sitemap_urls(client, "/sitemap-articles.xml?p=2")
        assert [unquote(loc.text) for loc in second.findall("s:url/s:loc", SITEMAP_NS)] == [
            full(desk["old"].get_absolute_url())
        ]
        first = sitemap_urls(client, "/sitemap-articles.xml")
        assert len(first.findall("s:url", SITEMAP_NS)) == 3  # 2 articles, one in 2 languages

    def test_sections_and_authors_sitemaps(self, client, desk):
        sections = sitemap_urls(client, "/sitemap-sections.xml")
        locations = {unquote(loc.text) for loc in sections.findall("s:url/s:loc", SITEMAP_NS)}
        assert full(desk["economy"].get_absolute_url()) in locations
        assert full(url("articles:section", "en", slug=desk["economy"].slug)) in (locations)
        assert len(locations) == 2 * Section.objects.count()
        authors = sitemap_urls(client, "/sitemap-authors.xml")
        assert len(authors.findall("s:url", SITEMAP_NS)) == 2 * Author.objects.count()

    def test_site_url_setting_wins_over_request_host(self, client, desk, settings):
        settings.NEWSROOM_SITE_URL = "https://news.example.sy"
        root = sitemap_urls(client, "/sitemap-home.xml")
        assert root.find("s:url/s:loc", SITEMAP_NS).text == "https://news.example.sy/ar/"

    def test_news_sitemap_covers_48_hours_in_google_format(self, client, desk):
        make_article("خبر قبل ثلاثة أيام", ago=timedelta(days=3))
        root = sitemap_urls(client, "/news-sitemap.xml")
        items = root.findall("s:url", SITEMAP_NS)
        titles = [u.find("news:news/news:title", SITEMAP_NS).text for u in items]
        assert titles == ["أسعار الخبز", "الأجانب في دمشق & <حلب>"]
        first = items[0].find("news:news", SITEMAP_NS)
        assert first.find("news:publication/news:name", SITEMAP_NS).text == "الماسة السورية"
        assert first.find("news:publication/news:language", SITEMAP_NS).text == "ar"
        assert first.find("news:publication_date", SITEMAP_NS).text.startswith("20")
        assert items[0].find("s:loc", SITEMAP_NS).text.startswith("http://testserver/ar/news/")


def test_robots_txt_points_to_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/news-sitemap.xml" in text
    assert "Disallow: /ar/admin/" in text and "Disallow: /ar/search/" in text


class TestKeptFeeds:
    """Feeds are cached pages: served without queries until something they show changes."""

    @pytest.fixture(autouse=True)
    def _no_skew_margin(self, settings):
        settings.NEWSROOM_PAGE_CACHE_SKEW_SECONDS = 0  # fixtures were written a moment ago

    def test_a_second_reader_gets_the_feed_without_queries(
        self, client, desk, django_assert_num_queries
    ):
        path = url("discovery:section_feed", slug=desk["politics"].slug)
        assert client.get(path)["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            assert client.get(path)["X-Page-Cache"] == "hit"

    @pytest.mark.parametrize("change", ["article", "author", "section"])
    def test_what_a_feed_shows_refreshes_it(self, client, desk, change):
        path = url("discovery:feed")
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit"
        if change == "article":
            article = make_article("خبر جديد للخلاصة", section=desk["economy"])
            expected = article.title_ar
        elif change == "author":
            author = Author.objects.get(pk=desk["salma"].pk)
            author.name_ar = expected = "سلمى الحسن العلي"
            author.save()
        else:
            section = Section.objects.get(pk=desk["politics"].pk)
            section.name_ar = expected = "السياسة المحلية"
            section.save()
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss"
        assert expected in response.content.decode()


@pytest.mark.parametrize("name", ["discovery:feed", "discovery:feed_atom"])
def test_a_control_character_stored_earlier_does_not_fail_the_feed(client, desk, name):
    """Text stored before control characters were refused at saving (here written past
    ``save()``): the feed leaves them out instead of failing (XML 1.0 cannot carry them)."""
    from articles.models import Article

    Article.objects.filter(pk=desk["economy_news"].pk).update(title_ar="أسعار\x07 الخبز\x1b")
    _response, feed = parse(client, url(name))
    assert "أسعار الخبز" in [entry.title for entry in feed.entries]
