"""What search engines read, parsed as they parse it (extruct for OpenGraph and JSON-LD, lxml
for the rest): an article's SEO fields win over its title, lead and image, the defaults hold
without them, a noindex article leaves the sitemaps, every public page type has a title and a
description of its own."""

import extruct
import pytest
from django.utils import timezone
from lxml import html as lxml_html

from articles.models import MediaImage, StoryFile, Topic
from pages.models import Page
from tests.factories import image_upload, make_article, make_author, make_section

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode()
    tree = lxml_html.fromstring(text)
    data = extruct.extract(text, base_url=BASE, syntaxes=["json-ld", "opengraph"], uniform=True)

    def meta(name):
        found = tree.xpath(f'//head/meta[@name="{name}"]/@content')
        return found[0] if found else None

    return {
        "title": tree.findtext(".//head/title"),
        "description": meta("description"),
        "robots": meta("robots"),
        "twitter_title": meta("twitter:title"),
        "twitter_description": meta("twitter:description"),
        "canonical": (tree.xpath('//head/link[@rel="canonical"]/@href') or [None])[0],
        "og": data["opengraph"][0] if data["opengraph"] else {},
        "json_ld": data["json-ld"],
    }


def news_article(page):
    return next(item for item in page["json_ld"] if item.get("@type") == "NewsArticle")


def test_defaults_hold(client):
    article = make_article("عنوان الخبر", lead="مقدمة الخبر القصيرة.", slug="defaults")
    page = read(client, article.get_absolute_url())
    assert page["title"].startswith("عنوان الخبر")
    assert page["description"] == "مقدمة الخبر القصيرة."
    assert page["og"]["og:title"] == "عنوان الخبر"
    assert page["og"]["og:description"] == "مقدمة الخبر القصيرة."
    assert page["twitter_title"] == "عنوان الخبر"
    assert page["canonical"] == f"{BASE}/ar/news/defaults/"
    assert page["robots"] is None
    assert news_article(page)["headline"] == "عنوان الخبر"
    assert news_article(page)["description"] == "مقدمة الخبر القصيرة."


def test_overrides_win(client):
    social = MediaImage.objects.create(
        image=image_upload("social.jpg"), alt_text_ar="صورة للمشاركة"
    )
    article = make_article(
        "عنوان الخبر",
        lead="مقدمة.",
        slug="overrides",
        seo_title_ar="عنوان لمحركات البحث",
        meta_description_ar="وصف مكتوب لنتائج البحث.",
        canonical_url="https://other.example.org/original-story",
        social_image=social,
    )
    page = read(client, article.get_absolute_url())
    assert page["title"].startswith("عنوان لمحركات البحث")
    assert page["description"] == "وصف مكتوب لنتائج البحث."
    assert page["og"]["og:title"] == "عنوان لمحركات البحث"
    assert page["og"]["og:description"] == "وصف مكتوب لنتائج البحث."
    assert page["twitter_description"] == "وصف مكتوب لنتائج البحث."
    assert page["canonical"] == "https://other.example.org/original-story"
    assert page["og"]["og:url"] == "https://other.example.org/original-story"
    assert page["og"]["og:image"].startswith(f"{BASE}/media/renditions/library/")
    assert news_article(page)["headline"] == "عنوان لمحركات البحث"
    assert news_article(page)["description"] == "وصف مكتوب لنتائج البحث."
    assert news_article(page)["image"][0] == page["og"]["og:image"]
    # A copy of another outlet's story is not ours to list in the sitemaps.
    assert "overrides" not in client.get("/sitemap-articles.xml").content.decode()


def test_english_overrides_on_the_english_page(client):
    make_article(
        "عنوان",
        title_en="A title",
        lead_en="A lead.",
        slug="both",
        seo_title_en="An English SEO title",
        meta_description_en="An English description.",
    )
    page = read(client, "/en/news/both/")
    assert page["og"]["og:title"] == "An English SEO title"
    assert page["description"] == "An English description."
    arabic = read(client, "/ar/news/both/")
    assert arabic["og"]["og:title"] == "عنوان"


def test_noindex_leaves_the_sitemaps(client):
    make_article("ظاهر", slug="shown")
    hidden = make_article("مخفي", slug="hidden-one", noindex=True)
    page = read(client, hidden.get_absolute_url())
    assert page["robots"] == "noindex"
    for url in ("/sitemap-articles.xml", "/news-sitemap.xml"):
        body = client.get(url).content.decode()
        assert "shown" in body and "hidden-one" not in body, url
    robots = client.get("/robots.txt").content.decode()
    assert "/news/" not in robots  # a crawler must be let in to read the noindex


def test_every_public_page_type_has_a_title_and_a_description(client):
    section = make_section("اقتصاد", slug="economy")
    author = make_author("سارة", slug="sara")
    article = make_article("خبر", section=section, authors=[author], lead="مقدمة.")
    topic = Topic.objects.create(name_ar="الطاقة", slug="energy")
    article.topics.add(topic)
    story = StoryFile.objects.create(title_ar="ملف الانتخابات", slug="elections")
    story.entries.create(article=article, position=0) if hasattr(story, "entries") else None
    Page.objects.create(
        title_ar="من نحن", slug="about", body_ar="<p>نحن موقع إخباري.</p>", is_published=True
    )
    urls = [
        "/ar/",
        "/en/",
        "/ar/section/economy/",
        "/ar/author/sara/",
        "/ar/topic/energy/",
        "/ar/file/elections/",
        "/ar/page/about/",
        "/ar/corrections/",
        f"/ar/archive/{timezone.localtime(article.published_at):%Y/%m/%d}/",
        f"/ar/archive/{timezone.localtime(article.published_at):%Y}/",
        article.get_absolute_url(),
    ]
    descriptions = set()
    for url in urls:
        page = read(client, url)
        assert page["title"], url
        assert page["description"], url
        assert page["og"].get("og:title"), url
        assert page["canonical"], url
        descriptions.add(page["description"])
    assert len(descriptions) == len(urls)  # each its own
    assert read(client, "/ar/page/about/")["description"] == "نحن موقع إخباري."
    section.description_ar = "أخبار الاقتصاد السوري والأسواق."
    section.save()
    assert read(client, "/ar/section/economy/")["description"] == "أخبار الاقتصاد السوري والأسواق."


def hreflang(client, url) -> dict:
    tree = lxml_html.fromstring(client.get(url).content.decode())
    return {
        link.get("hreflang"): link.get("href")
        for link in tree.xpath('//head/link[@rel="alternate"][@hreflang]')
    }


def test_listing_pages_name_their_other_edition(client):
    """The sitemaps listed the home and section pages with hreflang; the pages had none."""
    section = make_section("اقتصاد", slug="economy")
    make_article(section=section)
    assert hreflang(client, "/ar/") == {
        "ar": f"{BASE}/ar/",
        "en": f"{BASE}/en/",
        "x-default": f"{BASE}/ar/",
    }
    assert hreflang(client, "/en/section/economy/?page=1") == {
        "ar": f"{BASE}/ar/section/economy/",
        "en": f"{BASE}/en/section/economy/",
        "x-default": f"{BASE}/ar/section/economy/",
    }


def test_an_article_canonical_elsewhere_names_no_edition_of_ours(client):
    article = make_article(canonical_url="https://partner.example/story/1")
    page = read(client, article.get_absolute_url())
    assert page["canonical"] == "https://partner.example/story/1"
    assert hreflang(client, article.get_absolute_url()) == {}


def test_an_article_without_a_byline_names_the_outlet_as_author(client):
    article = make_article(authors=[])
    page = read(client, article.get_absolute_url())
    authors = news_article(page)["author"]
    assert [author["@type"] for author in authors] == ["Organization"]
    assert authors[0]["name"]
