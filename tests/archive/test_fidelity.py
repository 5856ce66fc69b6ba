"""What a WordPress migration must keep: workflow statuses, sticky posts, namespaces however
declared, pingbacks counted, Gutenberg and embeds, old section and author addresses, the
default category, and imported sections out of the menu."""

from datetime import timedelta

import pytest
from django.utils import timezone

from archive.models import LegacyPath
from archive.wxr import WXRReader, autop
from articles.models import Article, Section
from tests.archive.wxr_factory import comment, item, wxr

pytestmark = pytest.mark.django_db


def write(tmp_path, *items, name="export.xml"):
    path = tmp_path / name
    path.write_text(wxr(*items), encoding="utf-8")
    return path


def test_statuses_are_mapped_to_the_workflow(tmp_path, run_import):
    future = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
    summary = run_import(
        write(
            tmp_path,
            item(1, "منشور", status="publish"),
            item(2, "بانتظار المراجعة", status="pending"),
            item(3, "مجدول", status="future", date=future, date_gmt=future),
            item(4, "مجدول فات موعده", status="future"),
            item(5, "خاص", status="private"),
            item(6, "مسودة", status="draft"),
            item(7, "منشور بلا تاريخ", date="0000-00-00 00:00:00", date_gmt="").replace(
                "<pubDate>Thu, 27 Apr 2017 10:00:00 +0000</pubDate>", ""
            ),
        )
    )
    status = dict(Article.objects.values_list("title_ar", "status"))
    assert status == {
        "منشور": "published",
        "بانتظار المراجعة": "review",
        "مجدول": "scheduled",
        "مجدول فات موعده": "published",
        "خاص": "unpublished",
        "مسودة": "draft",
        "منشور بلا تاريخ": "review",
    }
    assert "created: 7" in summary and "failed: 0" in summary
    assert "published post without a date: imported for review" in summary


def test_sticky_posts_are_pinned(tmp_path, run_import):
    sticky = item(1, "مثبت").replace("</item>", "<wp:is_sticky>1</wp:is_sticky></item>")
    run_import(write(tmp_path, sticky, item(2, "عادي")))
    assert dict(Article.objects.values_list("title_ar", "pin_order")) == {"مثبت": 1, "عادي": None}


def test_namespaces_are_read_by_uri(tmp_path):
    """Another prefix for WordPress's namespace (single-quoted, declared on <channel>), and a
    prefix declared inside an item: the same fields are read."""
    text = wxr(item(1, "خبر أول"), item(2, "خبر ثان"))
    text = text.replace('\txmlns:wp="http://wordpress.org/export/1.2/"\n', "")
    text = text.replace("<channel>", "<channel xmlns:wordpress='http://wordpress.org/export/1.2/'>")
    header, first, second = text.split("<item>")
    text = (
        header.replace("wp:", "wordpress:")
        + "<item>"
        + first.replace("wp:", "wordpress:")
        + '<item xmlns:w="http://wordpress.org/export/1.2/">'
        + second.replace("wp:", "w:")
    )
    path = tmp_path / "prefixes.xml"
    path.write_text(text, encoding="utf-8")
    entries = list(WXRReader(path))
    assert [(e.source_id, e.title, e.is_published) for e in entries] == [
        ("1", "خبر أول", True),
        ("2", "خبر ثان", True),
    ]
    assert entries[0].authors == ["فريق ماسة"]


def test_pingbacks_are_left_behind_and_counted(tmp_path, run_import):
    comments = (
        comment(11, "تعليق"),
        comment(12, "pingback", kind="pingback"),
        comment(13, "trackback", kind="trackback"),
    )
    summary = run_import(write(tmp_path, item(1, "خبر", comments=comments)))
    assert "comments imported: 1" in summary
    assert "pingbacks and trackbacks left behind: 2" in summary


def test_gutenberg_blocks_and_embeds():
    html = autop(
        '<!-- wp:paragraph {"align":"right"} -->\n<p>فقرة أولى</p>\n<!-- /wp:paragraph -->\n\n'
        '<!-- wp:embed {"url":"https://youtu.be/abc"} -->\n'
        '<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">\n'
        "https://youtu.be/abc\n</div><figcaption>المقابلة</figcaption></figure>\n"
        "<!-- /wp:embed -->\n\n"
        "[embed]https://twitter.com/x/status/1[/embed]\n\n"
        "https://www.youtube.com/watch?v=xyz&amp;t=1\n\nنهاية"
    )
    assert "wp:" not in html and "<!--" not in html
    assert html == (
        "<p>فقرة أولى</p>\n"
        '<p><a href="https://youtu.be/abc">https://youtu.be/abc</a></p><p>المقابلة</p>\n'
        '<p><a href="https://twitter.com/x/status/1">https://twitter.com/x/status/1</a></p>\n'
        '<p><a href="https://www.youtube.com/watch?v=xyz&amp;t=1">'
        "https://www.youtube.com/watch?v=xyz&amp;t=1</a></p>\n"
        "<p>نهاية</p>"
    )


def categorised(post_id, title, *categories):
    """An item whose categories carry WordPress's nicenames."""
    text = item(post_id, title)
    terms = "".join(
        f'<category domain="category" nicename="{nicename}"><![CDATA[{name}]]></category>'
        for name, nicename in categories
    )
    return text.replace("</item>", terms + "</item>")


def test_old_day_section_and_author_addresses_answer_301(tmp_path, run_import, client):
    run_import(
        write(
            tmp_path,
            categorised(1, "خبر سياسي", ("سياسة", "politics")),
            item(2, "خبر آخر", slug="other-news", date="2017-04-27 13:00:00"),
        )
    )
    article = Article.objects.get(title_ar="خبر آخر")
    section = Section.objects.get(name_ar="سياسة")
    author = article.bylines.get().author

    response = client.get("/2017/04/27/other-news/")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    response = client.get("/category/politics/")
    assert response.status_code == 301 and response["Location"] == section.get_absolute_url()
    response = client.get("/author/masa/")
    assert response.status_code == 301 and response["Location"] == author.get_absolute_url()
    assert LegacyPath.objects.filter(path="/category/politics").count() == 1
    assert client.get("/category/nothing-here/").status_code == 404


def test_the_default_category_gives_no_section(tmp_path, run_import, settings):
    run_import(
        write(
            tmp_path,
            categorised(1, "بلا تصنيف", ("Uncategorized", "uncategorized")),
            categorised(2, "مصنف", ("غير مصنف", "uncategorized"), ("اقتصاد", "economy")),
        )
    )
    sections = dict(Article.objects.values_list("title_ar", "section__name_ar"))
    assert sections == {
        "بلا تصنيف": settings.NEWSROOM_ARCHIVE_DEFAULT_SECTION,
        "مصنف": "اقتصاد",
    }
    assert not Section.objects.filter(name_ar__in=["Uncategorized", "غير مصنف"]).exists()


def test_imported_sections_stay_out_of_the_menu(tmp_path, run_import, client):
    placed = Section.objects.create(name_ar="أخبار", in_navigation=True)
    run_import(write(tmp_path, categorised(1, "خبر", ("سياسة", "politics"))))
    imported = Section.objects.get(name_ar="سياسة")
    assert not imported.in_navigation

    page = client.get("/ar/").content.decode()
    assert placed.get_absolute_url() in page
    assert imported.get_absolute_url() not in page

    imported.in_navigation = True  # an editor places it
    imported.save()
    assert imported.get_absolute_url() in client.get("/ar/").content.decode()
