"""On an English page, Arabic text shown because the English is missing says it is Arabic
(lang="ar" dir="rtl", WCAG 3.1.2): screen readers pick an Arabic voice, and the text runs
right to left; text of its own in English is not marked."""

import re

import pytest
from django.test import Client
from django.utils import translation

from articles.models import Topic
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
