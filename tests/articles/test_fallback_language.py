"""On an English page, Arabic text shown because the English is missing says it is Arabic
(lang="ar" dir="rtl", WCAG 3.1.2): screen readers pick an Arabic voice, and the text runs
right to left; text of its own in English is not marked."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from articles.models import Topic
from articles.templatetags.articles_tags import its_language
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def tag_of(html: str, css_class: str) -> str:
    found = re.search(rf'<[a-z0-9]+ class="{css_class}"[^>]*>', html)
    assert found, css_class
    return found.group(0)


def test_an_english_page_marks_the_arabic_it_falls_back_to(settings):
    settings.NEWSROOM_PAGE_CACHE_ENABLED = False
    topic = Topic.for_name("دمشق")
    article = make_article(
        "سوق الحميدية بعد الترميم",
        title_en="Al-Hamidiyah market after the restoration",
        lead_ar="عاد التجار إلى محالهم.",
        body_ar="<p>نص عربي فقط.</p>",
    )
    article.topics.add(topic)
    with translation.override("en"):
        path = article.get_absolute_url()
        topic_path = topic.get_absolute_url()
    html = Client().get(path).content.decode()
    assert 'lang="ar" dir="rtl"' in tag_of(html, "article-lead")
    assert 'lang="ar" dir="rtl"' in tag_of(html, "article-body")
    assert "lang=" not in tag_of(html, "article-title")  # its own English title
    assert re.search(r'rel="tag" lang="ar" dir="rtl">دمشق<', html)
    topic_html = Client().get(topic_path).content.decode()
    assert '<h1 lang="ar" dir="rtl">دمشق</h1>' in topic_html
    with translation.override("ar"):
        arabic = Client().get(article.get_absolute_url()).content.decode()
    assert "lang=" not in tag_of(arabic, "article-lead")  # on the Arabic page: its own


def test_a_card_without_a_byline_starts_with_its_date(client, settings):
    """It started with a stray «·» before the date."""
    settings.NEWSROOM_PAGE_CACHE_ENABLED = False
    from tests.factories import make_section

    section = make_section("منوعات")
    make_article("خبر بلا كاتب", section=section, authors=[])
    html = Client().get(section.get_absolute_url()).content.decode()
    meta = re.search(r'<p class="card-meta">(.*?)</p>', html, re.S).group(1)
    assert meta.startswith("<time"), meta


def test_owner_pages_mark_their_arabic_name_and_description(settings):
    """A section, an author or a story file without English shows its Arabic on the English
    page, marked as such; one with English is not marked."""
    from articles.models import StoryFile
    from tests.factories import make_author, make_section

    settings.NEWSROOM_PAGE_CACHE_ENABLED = False
    section = make_section("من الأرشيف", description_ar="مقالات قديمة")
    named = make_section("اقتصاد", name_en="Economy")
    author = make_author("فريق ماسة", bio_ar="فريق التحرير")
    story = StoryFile.objects.create(title_ar="التراث الدمشقي", slug="heritage")
    make_article("خبر في الأرشيف", section=section, authors=[author])
    with translation.override("en"):
        pages = {o: o.get_absolute_url() for o in (section, named, author, story)}
    html = {o: Client().get(path).content.decode() for o, path in pages.items()}
    assert '<h1 lang="ar" dir="rtl">التراث الدمشقي</h1>' in html[story]
    assert '<h1 lang="ar" dir="rtl">من الأرشيف</h1>' in html[section]
    assert 'class="page-description" lang="ar" dir="rtl">مقالات قديمة' in html[section]
    assert '<h1 lang="ar" dir="rtl">فريق ماسة</h1>' in html[author]
    assert "<h1>Economy</h1>" in html[named]


def test_one_column_texts_in_arabic_are_marked_by_their_letters(settings):
    """The source line, a photo credit and a correction have one column for both editions:
    written in Arabic letters on an English page, they say so; Latin ones do not."""
    from articles.models import Correction

    settings.NEWSROOM_PAGE_CACHE_ENABLED = False
    article = make_article(
        "خبر بمصدر عربي",
        title_en="A story from an Arabic source",
        source="الماسة السورية",
    )
    Correction.objects.create(article=article, text="صُحّح اسم الوزير في الفقرة الثانية.")
    with translation.override("en"):
        path, corrections = article.get_absolute_url(), reverse("articles:corrections")
    html = Client().get(path).content.decode()
    assert 'Source: <span lang="ar" dir="rtl">الماسة السورية</span>' in html
    assert '<span lang="ar" dir="rtl">صُحّح اسم الوزير' in html
    with translation.override("en"):
        assert its_language("Reuters / سانا") == "Reuters / سانا"  # mostly Latin: no mark
        assert its_language("سانا") == '<span lang="ar" dir="rtl">سانا</span>'
        escaped = '<span lang="ar" dir="rtl">&lt;b&gt;سانا&lt;/b&gt;</span>'
        assert its_language("<b>سانا</b>") == escaped
    listing = Client().get(corrections).content.decode()
    assert '<p><span lang="ar" dir="rtl">صُحّح اسم الوزير' in listing
    assert re.search(r'href="[^"]+" lang="ar" dir="rtl">خبر بمصدر عربي<', listing) is None
    with translation.override("ar"):
        arabic = Client().get(article.get_absolute_url()).content.decode()
    assert "الماسة السورية</p>" in arabic
    assert '<span lang="ar" dir="rtl">الماسة' not in arabic


def test_titles_shown_alone_and_the_site_name_are_marked_on_english_pages(settings):
    """A "most read" entry (slots, no __dict__) was not looked at, so its Arabic title had
    only dir="auto"; the site's Arabic name in the header, the home page's heading and the
    footer had nothing; an Arabic alt text on the lead photo neither."""
    from django.template import Context, Template

    from counters.most_read import MostReadEntry

    settings.NEWSROOM_PAGE_CACHE_ENABLED = False
    with translation.override("en"):
        mark = Template('{% load articles_tags %}<a{% fallback_lang e "title" auto=True %}>')
        arabic_only = MostReadEntry(1, 1, "souq", "سوق الحميدية", "", 5)
        assert mark.render(Context({"e": arabic_only})) == '<a lang="ar" dir="rtl">'
        translated = MostReadEntry(2, 1, "souq-2", "سوق", "Damascus market", 5)
        assert mark.render(Context({"e": translated})) == '<a dir="auto">'
        assert mark.render(Context({"e": {"title": "خبر"}})) == '<a lang="ar" dir="rtl">'
        home = Client().get("/en/").content.decode()
    name = f'<span lang="ar" dir="rtl">{settings.SITE_NAME}</span>'
    assert home.count(name) >= 3  # header, heading, footer
