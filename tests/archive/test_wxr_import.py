"""Importing WordPress exports: posts, drafts, pages, comments, CDATA, malformed items."""

import io
from urllib.parse import quote

import django_comments
import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import translation

from archive.importer import ArchiveImporter
from archive.models import ImportedArticle, ImportedComment, LegacyPath
from archive.wxr import WXRReader, autop
from articles.models import Article, Author, Section
from tests.archive.wxr_factory import comment, item, meta, wxr

pytestmark = pytest.mark.django_db

SLUG = "انشقاق-في-صفوف-داعش"
ENCODED = quote(SLUG).lower()  # WordPress writes lower-case percent-encoding


def main_post(**overrides):
    fields = {
        "content": (
            "كشفت صحيفة الغارديان في تقرير لها.\n\nوذلك مع استمرار العمليات & القتال."
            '<script>alert("x")</script>\n\n<h2 onclick="x()">عنوان فرعي</h2>'
        ),
        "slug": ENCODED,
        "link": f"https://old.example.com/2017/04/{ENCODED}/",
        "categories": ("سياسة", "من الأرشيف"),
        "tags": ("داعش", "تركيا"),
        "excerpt": "ملخص <b>الخبر</b>",
        "metas": (meta("post_views_count", "7,529"), meta("_thumbnail_id", "")),
        "comments": (
            comment(11, "تعليق أول"),
            comment(12, "رد على الأول", parent=11, date="2017-04-28 11:00:00"),
            comment(13, "رد على الرد", parent=12, date="2017-04-28 12:00:00"),
            comment(14, "رد أعمق من المسموح", parent=13, date="2017-04-28 13:00:00"),
            comment(15, "تعليق ينتظر الموافقة", approved="0", date="2017-04-28 14:00:00"),
            comment(16, "spam spam", approved="spam"),
            comment(17, "pingback", kind="pingback"),
        ),
    }
    fields.update(overrides)
    return item(123, "الغارديان: انشقاق في صفوف «داعش» &amp; هروب", **fields)


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(
        wxr(
            main_post(),
            item(124, "مسودة لم تنشر", status="draft", date_gmt="0000-00-00 00:00:00"),
            item(125, "من نحن", post_type="page"),
            item(126, "في سلة المهملات", status="trash"),
            # A malformed item: an unescaped "&" and a broken tag. The run must go on.
            "\n\t<item><title>خبر & معطوب</title><wp:post_id>127</wp:post_id><broken></item>",
            item(128, "خبر بتاريخ غير مقروء", date_gmt="27/04/2017", date="27/04/2017"),
            item(
                129,
                "خبر بعد المعطوب",
                creator="salma",
                metas=(meta("views", 40),),
                content="<p>فقرة</p>\n<p>فقرة ثانية</p>",
            ),
            authors=(("masa", "فريق ماسة"), ("salma", "سلمى الحسن")),
        ),
        encoding="utf-8",
    )
    return path


def test_posts_are_imported_and_the_rest_reported(run_import, export):
    summary = run_import(export)

    assert "created: 3" in summary  # 123, the draft 124, 129
    assert "failed: 2" in summary
    assert "export.xml:" in summary and "malformed XML" in summary
    assert "unreadable date '27/04/2017'" in summary
    assert "static pages made: 1" in summary  # 125 «من نحن» (issue 16: pages are imported)
    assert "1 × status “trash”" in summary
    assert set(ImportedArticle.objects.values_list("source_id", flat=True)) == {
        "123",
        "124",
        "129",
    }


def test_article_fields(run_import, export):
    run_import(export)
    article = ImportedArticle.objects.get(source_id="123").article

    assert article.title == "الغارديان: انشقاق في صفوف «داعش» & هروب"
    assert article.slug == SLUG
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at.isoformat() == "2017-04-27T10:00:00+00:00"
    assert article.view_count == 7529
    assert article.section.name == "سياسة"
    assert article.lead == "ملخص الخبر"
    assert article.import_record.tags == ["من الأرشيف", "داعش", "تركيا"]
    # WordPress stores paragraphs as blank lines; the sanitiser drops script and onclick.
    assert article.body.startswith("<p>كشفت صحيفة الغارديان في تقرير لها.</p>")
    assert "&amp; القتال" in article.body
    assert "<script" not in article.body and "onclick" not in article.body
    assert "<h2>عنوان فرعي</h2>" in article.body
    [author] = article.authors.all()
    assert (author.name, author.kind) == ("فريق ماسة", Author.Kind.TEAM)


def test_drafts_stay_drafts_and_people_are_persons(run_import, export):
    run_import(export)
    draft = ImportedArticle.objects.get(source_id="124").article
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is not None  # wp:post_date, read in the site's time zone
    later = ImportedArticle.objects.get(source_id="129").article
    assert later.view_count == 40  # the "views" meta key
    assert [(a.name, a.kind) for a in later.authors.all()] == [("سلمى الحسن", Author.Kind.PERSON)]
    assert later.section.name == "من الأرشيف"  # no category: the configured default section


def test_comments_keep_threads_and_approval(run_import, export):
    run_import(export)
    article = ImportedArticle.objects.get(source_id="123").article
    model = django_comments.get_model()
    comments = {
        c.comment: c for c in model.objects.filter(object_pk=str(article.pk)).order_by("pk")
    }
    assert set(comments) == {
        "تعليق أول",
        "رد على الأول",
        "رد على الرد",
        "رد أعمق من المسموح",
        "تعليق ينتظر الموافقة",
    }
    first, reply, deeper = comments["تعليق أول"], comments["رد على الأول"], comments["رد على الرد"]
    assert (first.parent_id, first.thread_id, first.level) == (first.pk, first.pk, 0)
    assert (reply.parent_id, reply.thread_id, reply.level) == (first.pk, first.pk, 1)
    assert (deeper.parent_id, deeper.level) == (reply.pk, 2)
    # Deeper than COMMENTS_XTD_MAX_THREAD_LEVEL (2): attached to the deepest allowed level.
    too_deep = comments["رد أعمق من المسموح"]
    assert (too_deep.parent_id, too_deep.level) == (reply.pk, 2)
    assert [c.order for c in (first, reply, deeper, too_deep)] == [1, 2, 3, 4]
    assert first.nested_count == 3
    assert comments["تعليق ينتظر الموافقة"].is_public is False
    assert first.is_public and first.site_id == 1 and first.content_object == article
    assert first.user_email == "reader11@example.com" and first.ip_address == "192.0.2.11"
    assert ImportedComment.objects.count() == 5


def test_second_run_changes_nothing(run_import, export):
    run_import(export)
    before = (
        Article.objects.count(),
        Section.objects.count(),
        Author.objects.count(),
        django_comments.get_model().objects.count(),
        LegacyPath.objects.count(),
        list(Article.objects.order_by("pk").values_list("pk", "updated_at", "view_count")),
    )
    summary = run_import(export)
    after = (
        Article.objects.count(),
        Section.objects.count(),
        Author.objects.count(),
        django_comments.get_model().objects.count(),
        LegacyPath.objects.count(),
        list(Article.objects.order_by("pk").values_list("pk", "updated_at", "view_count")),
    )
    assert after == before
    assert "created: 0" in summary and "updated: 0" in summary
    assert "4 × unchanged since the last run" in summary  # the three posts and the page


def test_changed_source_updates_and_views_continue(run_import, export, tmp_path):
    run_import(export)
    article = ImportedArticle.objects.get(source_id="123").article
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 5)  # new views

    changed = tmp_path / "changed.xml"
    changed.write_text(
        wxr(
            main_post(
                metas=(meta("post_views_count", 8000),),
                comments=(
                    comment(11, "تعليق أول"),
                    comment(18, "تعليق جديد على الأول", parent=11, date="2017-05-01 10:00:00"),
                ),
            )
        ),
        encoding="utf-8",
    )
    summary = run_import(changed)

    article.refresh_from_db()
    assert "updated: 1" in summary
    assert article.view_count == 8000 + 5  # the imported figure moved on; new views kept
    model = django_comments.get_model()
    new = model.objects.get(comment="تعليق جديد على الأول")
    first = model.objects.get(comment="تعليق أول")
    assert (new.parent_id, new.level) == (first.pk, 1)
    assert model.objects.filter(comment="تعليق أول").count() == 1


def test_articles_edited_here_are_not_overwritten(run_import, export, tmp_path):
    run_import(export)
    article = ImportedArticle.objects.get(source_id="123").article
    article.title_ar = "عنوان عدله المحرر"
    article.save()
    changed = tmp_path / "changed.xml"
    changed.write_text(wxr(main_post(excerpt="ملخص جديد")), encoding="utf-8")

    summary = run_import(changed)

    article.refresh_from_db()
    assert article.title == "عنوان عدله المحرر"
    assert "edited in the newsroom since it was imported" in summary


def test_dry_run_saves_nothing(run_import, export):
    summary = run_import(export, dry_run=True)
    assert "Dry run: nothing was saved." in summary
    assert "created: 3" in summary
    assert not Article.objects.exists()
    assert not Author.objects.exists() and not Section.objects.exists()
    assert not django_comments.get_model().objects.exists()


def test_a_failing_item_leaves_nothing_behind(run_import, export, monkeypatch):
    """The batch's bulk write fails; its items are redone one by one, each in a savepoint."""
    original = ArchiveImporter._comment_fields

    def explode_on_123(self, article, item, comment):
        if item.source_id == "123":
            raise ValueError("disk on fire")
        return original(self, article, item, comment)

    monkeypatch.setattr(ArchiveImporter, "_comment_fields", explode_on_123)
    summary = run_import(export)

    assert "ValueError: disk on fire" in summary
    assert not ImportedArticle.objects.filter(source_id="123").exists()
    assert not Article.objects.filter(slug=SLUG).exists()
    assert not django_comments.get_model().objects.exists()
    assert not LegacyPath.objects.filter(path="/?p=123").exists()
    assert ImportedArticle.objects.filter(source_id="129").exists()  # the run went on


def test_reader_skips_cdata_that_looks_like_a_closing_tag(tmp_path):
    path = tmp_path / "tricky.xml"
    path.write_text(
        wxr(
            item(1, "درس في XML", content="اكتب </item> ثم <item> داخل النص ]]> هكذا"),
            item(2, "الخبر الثاني"),
        ),
        encoding="utf-8",
    )
    entries = list(WXRReader(path))
    assert [e.source_id for e in entries] == ["1", "2"]
    assert "</item> ثم <item> داخل النص ]]> هكذا" in entries[0].body_html
    assert entries[0].source == "https://old.example.com"


def test_reader_reports_a_truncated_file(tmp_path):
    path = tmp_path / "truncated.xml"
    text = wxr(item(1, "خبر كامل"), item(2, "خبر مقطوع"))
    path.write_text(text[: text.rindex("<wp:post_type>")], encoding="utf-8")
    entries = list(WXRReader(path))
    assert entries[0].source_id == "1"
    assert entries[1].reason.startswith("عنصر <item> غير مكتمل")  # Arabic by default
    line = text[: text.rindex("<item>")].count("\n") + 1
    assert entries[1].position == f"truncated.xml:{line}"


def test_reader_reads_in_blocks(tmp_path, monkeypatch):
    """Items cut across read blocks come out whole; memory is one item plus one block."""
    monkeypatch.setattr("archive.wxr.BLOCK_SIZE", 64)
    path = tmp_path / "many.xml"
    path.write_text(wxr(*(item(n, f"خبر {n}", content="نص " * 50) for n in range(1, 40))))
    entries = list(WXRReader(path))
    assert [e.source_id for e in entries] == [str(n) for n in range(1, 40)]
    assert all(e.body_html == "<p>" + ("نص " * 50).strip() + "</p>" for e in entries)


def test_not_a_wordpress_export(tmp_path):
    """Reported in the summary, and the command fails (a non-zero exit status)."""
    path = tmp_path / "feed.xml"
    path.write_text('<rss version="2.0"><channel><item><title>x</title></item></channel></rss>')
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="not a WordPress export"):
        call_command("import_archive", str(path), format="wxr", stdout=out, stderr=io.StringIO())
    assert "failed: 1" in out.getvalue()


def test_a_cut_off_export_is_imported_as_far_as_it_goes_and_fails(tmp_path):
    """An export that stops between two items (a copy interrupted) looks whole to the item
    scanner: its missing end is reported and the exit status is non-zero."""
    path = tmp_path / "cut.xml"
    text = wxr(item(1, "خبر كامل"), item(2, "خبر ثان"))
    path.write_text(text[: text.index("</item>", text.index("<item>")) + 7], encoding="utf-8")
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="cut off"):
        call_command("import_archive", str(path), stdout=out, stderr=io.StringIO())
    assert "created: 1" in out.getvalue()
    assert "does not end with </rss>" in out.getvalue()
    assert ImportedArticle.objects.get().source_id == "1"


def test_a_truncated_item_fails_the_command(tmp_path):
    path = tmp_path / "truncated.xml"
    text = wxr(item(1, "خبر كامل"), item(2, "خبر مقطوع"))
    path.write_text(text[: text.rindex("<wp:post_type>")], encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match="cut off"):
        call_command("import_archive", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert ImportedArticle.objects.get().source_id == "1"


def test_autop_and_captions():
    html = autop(
        '[caption id="a1" width="300"]<img src="https://x.example/a.jpg" alt="">'
        " صورة الحدث[/caption]\n\nسطر أول\nسطر ثان\n\n<blockquote>اقتباس</blockquote>"
    )
    assert html == (
        '<figure><img src="https://x.example/a.jpg" alt=""><figcaption>صورة الحدث'
        "</figcaption></figure>\n<p>سطر أول<br>\nسطر ثان</p>\n<blockquote>اقتباس</blockquote>"
    )


def test_command_errors_and_progress(tmp_path, export):
    with pytest.raises(CommandError, match="لا يوجد ملف أو مجلد"):  # Arabic by default
        call_command("import_archive", str(tmp_path / "missing.xml"), stdout=io.StringIO())
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("import_archive", str(export), stdout=out, stderr=err)
    assert (
        "100% export.xml · 7 items · created 3 · updated 0 · skipped 1 · failed 2" in err.getvalue()
    )
    assert "7 items in" in out.getvalue() and "peak memory" in out.getvalue()


def test_reader_memory_stays_flat(tmp_path):
    """A 16 MB export is read with a few MB at most: it is never loaded whole."""
    import tracemalloc

    path = tmp_path / "big.xml"
    body = "كشفت صحيفة الغارديان في تقرير لها. " * 400
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(wxr().replace("</channel>\n</rss>\n", ""))
        for n in range(1, 601):
            handle.write(item(n, f"خبر {n}", content=body))
        handle.write("</channel>\n</rss>\n")
    assert path.stat().st_size > 15_000_000

    tracemalloc.start()
    try:
        count = sum(1 for _ in WXRReader(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 600
    assert peak < 6_000_000, peak


def test_an_import_invalidates_pages_once_per_batch(run_import, export, monkeypatch, client):
    """One cache write per batch of BATCH_SIZE items (here: one), not one per item; a page
    cached before the import is stale after it."""
    from caching import pagecache

    home = "/ar/"
    client.get(home)
    assert client.get(home)["X-Page-Cache"] == "hit"
    writes = []
    original = pagecache._write_versions
    monkeypatch.setattr(
        pagecache,
        "_write_versions",
        lambda tags: (tags and writes.append(set(tags))) or original(tags),
    )
    run_import(export)
    assert Article.objects.count() >= 2
    assert len(writes) == 1 and "home" in writes[0]
    assert client.get(home)["X-Page-Cache"] == "miss"
