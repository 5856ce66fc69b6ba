"""Article <head> metadata (canonical, hreflang, OpenGraph, Twitter, JSON-LD), the short
share link and related articles."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

from articles.models import Article, Author
from tests.factories import image_upload, make_article, make_author, make_section

pytestmark = pytest.mark.django_db


class HeadParser(HTMLParser):
    """Collects <link>, <meta> and JSON-LD blocks the way a crawler reads them."""

    def __init__(self):
        super().__init__()
        self.links, self.meta, self.json_ld, self._in_ld = [], {}, [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data


def head_of(client, path):
    response = client.get(path)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return response, parser


@pytest.fixture
def story():
    section = make_section("سياسة")
    person = make_author("سلمى الحسن")
    team = make_author("فريق ماسة", kind=Author.Kind.TEAM)
    return make_article(
        "الأجانب في دمشق </script><script>alert(1)</script>",
        section=section,
        authors=[person, team],
        lead_ar="ملخص «الخبر» & تفاصيله",
        image=image_upload(),
        image_alt="صورة الحدث",
    )


def absolute(path):
    return "http://testserver" + iri_to_uri(path)


class TestHead:
    def test_canonical_and_hreflang(self, client, story):
        _response, head = head_of(client, story.get_absolute_url())
        canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
        assert canonical == [absolute(story.get_absolute_url())]
        alternates = {
            link["hreflang"]: link["href"]
            for link in head.links
            if link.get("rel") == "alternate" and link.get("hreflang")
        }
        # No English translation: the Arabic page is the only version (and x-default).
        assert alternates == {"ar": canonical[0], "x-default": canonical[0]}

    def test_translated_article_english_page_is_its_own_canonical(self, client, story):
        story.title_en = "Foreigners in Damascus"
        story.save()
        with translation.override("en"):
            english = story.get_absolute_url()
        _response, head = head_of(client, english)
        canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
        assert canonical == [absolute(english)]
        hreflangs = {link["hreflang"] for link in head.links if link.get("hreflang")}
        assert hreflangs == {"ar", "en", "x-default"}
        assert head.meta["og:locale"] == ["en_US"]
        assert head.meta["og:locale:alternate"] == ["ar_AR"]

    def test_the_image_is_described_in_the_page_s_language(self, client, story):
        """An English page whose image has Arabic alt text only describes it by its English
        title, not in Arabic beside og:locale en_US; with English alt text, by that."""
        story.title_en = "Foreigners in Damascus"
        story.save()
        with translation.override("en"):
            english = story.get_absolute_url()
        _response, head = head_of(client, english)
        assert head.meta["og:locale"] == ["en_US"]
        assert head.meta["og:image:alt"] == ["Foreigners in Damascus"]
        assert head.meta["twitter:image:alt"] == ["Foreigners in Damascus"]
        story.image_alt_en = "Police at the old city's gate"
        story.save()
        _response, head = head_of(client, english)
        assert head.meta["og:image:alt"] == ["Police at the old city's gate"]
        with translation.override("ar"):
            arabic = story.get_absolute_url()
        _response, head = head_of(client, arabic)
        assert head.meta["og:image:alt"] == ["صورة الحدث"]

    def test_untranslated_english_page_points_to_arabic(self, client, story):
        with translation.override("en"):
            english = story.get_absolute_url()
        with translation.override("ar"):
            arabic = story.get_absolute_url()
        _response, head = head_of(client, english)
        canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
        assert canonical == [absolute(arabic)]

    def test_opengraph_and_twitter(self, client, story):
        _response, head = head_of(client, story.get_absolute_url())
        meta = {key: values[0] for key, values in head.meta.items()}
        rendition = story.image_renditions[-1]
        image_url = "http://testserver/media/" + rendition["jpg"]
        assert meta["og:type"] == "article"
        assert meta["og:locale"] == "ar_AR"
        assert meta["og:title"] == story.title_ar
        assert meta["og:description"] == "ملخص «الخبر» & تفاصيله"
        assert meta["og:url"] == absolute(story.get_absolute_url())
        assert meta["og:image"] == image_url
        assert meta["og:image:width"] == str(rendition["width"])
        assert meta["og:image:alt"] == "صورة الحدث"
        assert meta["og:site_name"] == "الماسة السورية"
        assert meta["twitter:card"] == "summary_large_image"
        assert meta["twitter:image"] == image_url
        assert meta["twitter:title"] == story.title_ar
        assert meta["article:section"] == "سياسة"

    def test_json_ld_news_article(self, client, story):
        _response, head = head_of(client, story.get_absolute_url())
        assert len(head.json_ld) == 1
        data = json.loads(head.json_ld[0])
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == story.title_ar
        assert data["description"] == "ملخص «الخبر» & تفاصيله"
        assert data["inLanguage"] == "ar"
        assert data["mainEntityOfPage"]["@id"] == absolute(story.get_absolute_url())
        assert data["datePublished"].startswith(story.published_at.isoformat()[:19])
        assert "dateModified" in data
        assert data["articleSection"] == "سياسة"
        assert [(a["@type"], a["name"]) for a in data["author"]] == [
            ("Person", "سلمى الحسن"),
            ("Organization", "فريق ماسة"),
        ]
        assert data["publisher"]["name"] == "الماسة السورية"
        assert data["image"] == ["http://testserver/media/" + story.image_renditions[-1]["jpg"]]

    def test_text_cannot_break_out_of_the_json_block(self, client, story):
        content = client.get(story.get_absolute_url()).content.decode()
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
        assert "alert(1)" in block.group(1)  # the whole title stayed inside the data block
        assert "<script>alert(1)" not in content
        assert "\\u003C/script\\u003E" in block.group(1)

    def test_drafts_get_noindex_and_no_metadata(self, client, admin_user):
        draft = make_article("مسودة", published=False)
        client.force_login(admin_user)
        _response, head = head_of(client, draft.get_absolute_url())
        assert head.meta["robots"] == ["noindex"]
        assert head.json_ld == []
        assert not [link for link in head.links if link.get("rel") == "canonical"]


class TestShortLink:
    def test_redirects_permanently_to_the_arabic_url(self, client, story):
        response = client.get(f"/a/{story.pk}")
        assert response.status_code == 301
        assert unquote(response["Location"]) == unquote(story.get_absolute_url())
        assert response["Location"].startswith("/ar/news/")

    def test_english_reader_still_lands_on_arabic_canonical(self, client, story):
        client.cookies["django_language"] = "en"
        response = client.get(f"/a/{story.pk}", HTTP_ACCEPT_LANGUAGE="en")
        assert response["Location"].startswith("/ar/")

    def test_unpublished_or_unknown_is_404(self, client):
        draft = make_article("مسودة", published=False)
        future = make_article("غدا", ago=-timedelta(days=1))
        assert client.get(f"/a/{draft.pk}").status_code == 404
        assert client.get(f"/a/{future.pk}").status_code == 404
        assert client.get("/a/999999").status_code == 404

    def test_an_unknown_english_short_link_answers_in_english(self, client):
        """«/a/999/en» answered the Arabic «الصفحة غير موجودة» page."""
        english = client.get("/a/999999/en")
        assert english.status_code == 404
        assert '<html lang="en" dir="ltr">' in english.content.decode()
        arabic = client.get("/a/999999")
        assert '<html lang="ar" dir="rtl">' in arabic.content.decode()

    def test_an_article_taken_down_is_gone(self, client, story):
        """Its own address answered 410 and its short link 404 (as if it never was)."""
        Article.objects.filter(pk=story.pk).update(status=Article.Status.UNPUBLISHED)
        for path in (f"/a/{story.pk}", f"/a/{story.pk}/en"):
            response = client.get(path)
            assert response.status_code == 410, path
        gone = client.get(f"/a/{story.pk}").content.decode()
        assert f"<title>هذه الصفحة أُزيلت | {settings.SITE_NAME}</title>" in gone

    def test_shown_on_the_page_with_a_copy_button(self, client, story):
        content = client.get(story.get_absolute_url()).content.decode()
        short = f"http://testserver/a/{story.pk}"
        assert f'value="{short}"' in content
        assert 'class="share-copy"' in content and "انسخ الرابط" in content
        assert "js/share.js" in content and "defer" in content
        assert reverse("short_link", kwargs={"pk": story.pk}) == f"/a/{story.pk}"

    def test_the_english_page_shares_a_link_to_the_english_page(self, client):
        story = make_article("خبر مترجم", title_en="A translated story")
        with translation.override("en"):
            english = story.get_absolute_url()
        content = client.get(english).content.decode()
        assert f'value="http://testserver/a/{story.pk}/en"' in content
        response = client.get(f"/a/{story.pk}/en")
        assert response.status_code == 301 and response["Location"] == english
        assert client.get(f"/a/{story.pk}/xx").status_code == 404
        untranslated = make_article("خبر بالعربية فقط")
        with translation.override("en"):
            page = client.get(untranslated.get_absolute_url()).content.decode()
        assert f'value="http://testserver/a/{untranslated.pk}"' in page


class TestRelated:
    def test_shared_title_words_and_section(self, client):
        politics, sport = make_section("سياسة"), make_section("رياضة")
        article = make_article("انقطاع الكهرباء في حلب", section=politics)
        similar = make_article("عودة الكهرباء إلى حلب", section=sport)
        same_section = make_article("جلسة البرلمان", section=politics)
        unrelated = make_article("فوز المنتخب", section=sport)
        make_article("الكهرباء في حلب مسودة", section=politics, published=False)
        response = client.get(article.get_absolute_url())
        related = [item.pk for item in response.context["related"]]
        assert related[:2] == [similar.pk, same_section.pk]
        assert article.pk not in related and unrelated.pk not in related
        assert "أخبار ذات صلة" in response.content.decode()

    def test_fixed_number_of_queries(self, client, settings, django_assert_num_queries):
        settings.NEWSROOM_PAGE_CACHE_ENABLED = False  # a full render every time: its queries
        settings.NEWSROOM_FRAGMENT_CACHE_ENABLED = False
        section = make_section()
        article = make_article("اجتماع مجلس المحافظة", section=section)
        for n in range(12):
            make_article(f"اجتماع مجلس {n}", section=section)
        client.get(article.get_absolute_url())  # warm the "most read" lists (cached)
        # the frame, the article (with its bylines and topics, and whether it has corrections:
        # it has none, so they are not asked for), related, sections menu, footer pages,
        # comments, the breaking-news ticker
        with django_assert_num_queries(7):
            response = client.get(article.get_absolute_url())
        assert len(response.context["related"]) == 4


def test_related_choice_is_remembered_but_links_stay_fresh():
    from articles.related import related_for_page

    section = make_section()
    article = make_article("اجتماع مجلس المدينة", section=section)
    others = [make_article(f"اجتماع مجلس الحي {n}", section=section) for n in range(3)]
    first = related_for_page(article)
    assert {item.pk for item in first} == {other.pk for other in others}
    gone = first[0]
    Article.objects.filter(pk=gone.pk).update(status=Article.Status.DRAFT)
    Article.objects.filter(pk=first[1].pk).update(title_ar="عنوان جديد")
    second = related_for_page(article)
    assert gone.pk not in {item.pk for item in second}
    assert "عنوان جديد" in {item.title for item in second}
