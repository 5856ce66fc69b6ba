"""The old site's saved pages: shared/seed/legacy-article-page.txt and variants of it."""

from pathlib import Path

import pytest
from django.conf import settings

from archive.legacy import LegacyPageReader
from archive.models import ImportedArticle, LegacyPath
from articles.models import Article, Author

pytestmark = pytest.mark.django_db

# A copy of shared/seed/legacy-article-page.txt, so the tests run without shared/ too.
SEED = Path(__file__).parent / "data" / "legacy-article-page.txt"
SHARED = [
    base / "shared" / "seed" / "legacy-article-page.txt"
    for base in (Path(settings.BASE_DIR).parent, Path(settings.BASE_DIR).parent.parent)
]
TITLE = 'الغارديان: انشقاق في صفوف "داعش" وهروب عبرالحدود التركية'
FIRST_WORDS = "كشفت صحيفة الجارديان البريطانية في تقرير لها"
LAST_WORDS = "في أنحاء متفرقة من الأراضي السورية والعراقية."


@pytest.fixture
def seed_text():
    return SEED.read_text(encoding="utf-8")


def test_fixture_copy_matches_shared_seed():
    shared = next((path for path in SHARED if path.exists()), None)
    if shared is None:
        print(f"SKIPPED: no shared/seed beside the clone (looked at {SHARED})")  # noqa: T201
        pytest.skip("shared/seed/legacy-article-page.txt is not beside the clone")
    assert shared.read_bytes() == SEED.read_bytes()


def write(tmp_path, text, name="page.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def only_article():
    [record] = ImportedArticle.objects.select_related("article")
    return record.article


def test_seed_page_is_imported_once(run_import, seed_text, tmp_path):
    summary = run_import(write(tmp_path, seed_text))

    assert "created: 1" in summary and "failed: 0" in summary
    article = only_article()
    assert article.title == TITLE
    assert article.section.name == "من الأرشيف"
    assert article.view_count == 7529
    assert article.source == "الماسة السورية"
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at.astimezone().date().isoformat() == "2017-04-27"
    assert [(a.name, a.kind) for a in article.authors.all()] == [("فريق ماسة", Author.Kind.TEAM)]
    # The body once: the one-paragraph repetition under the title is dropped.
    assert article.body.count(FIRST_WORDS) == 1
    assert article.body.count(LAST_WORDS) == 1
    assert article.body.startswith("<p>" + FIRST_WORDS)
    assert article.body.count("<p>") == 7  # 8 saved paragraphs, the first cut after a comma
    # No comment form, no source line, no bullet block in the body.
    for leftover in ("اكتب تعليق", "كل الحقول", "المصدر", "7529", "فريق ماسة", TITLE):
        assert leftover not in article.body


def test_seed_page_second_run_changes_nothing(run_import, seed_text, tmp_path):
    path = write(tmp_path, seed_text)
    run_import(path)
    before = list(Article.objects.values_list("pk", "updated_at", "body"))
    summary = run_import(path)
    assert "1 × unchanged since the last run" in summary
    assert list(Article.objects.values_list("pk", "updated_at", "body")) == before


def test_variant_without_source_line_and_another_section(run_import, seed_text, tmp_path):
    text = seed_text.replace("المصدر : الماسة السورية", "").replace("من الأرشيف", "عربي ودولي")
    run_import(write(tmp_path, text))
    article = only_article()
    assert article.source == ""
    assert article.section.name == "عربي ودولي"
    assert article.body.count(FIRST_WORDS) == 1


def test_variant_with_two_authors(run_import, seed_text, tmp_path):
    two_bullets = seed_text.replace("  • فريق ماسة\n", "  • سلمى الحسن\n  • فريق ماسة\n")
    run_import(write(tmp_path, two_bullets, "a.txt"))
    one_bullet = seed_text.replace("  • فريق ماسة", "  • عمر الخطيب، فريق ماسة").replace(
        "الغارديان:", "الغارديان مجدداً:"
    )
    run_import(write(tmp_path, one_bullet, "b.txt"))

    first, second = (r.article for r in ImportedArticle.objects.order_by("pk"))
    assert [(a.name, a.kind) for a in first.ordered_authors] == [
        ("سلمى الحسن", Author.Kind.PERSON),
        ("فريق ماسة", Author.Kind.TEAM),
    ]
    assert [a.name for a in second.ordered_authors] == ["عمر الخطيب", "فريق ماسة"]
    assert Author.objects.filter(name_ar="فريق ماسة").count() == 1  # matched, not duplicated


def test_variant_with_arabic_digits_and_no_repeated_body(run_import, tmp_path):
    text = (
        "  • هيئة التحرير\n  • ٢٠١٧-٠٤-٢٧\n  • ١٢٣\n  • محليات\n\n"
        "عنوان الخبر\n\nالفقرة الأولى من الخبر.\n\nالفقرة الثانية.\n\n"
        "الرابط : https://old.example.com/news/1234.html\n\nاكتب تعليق\n\nتعليق قديم لا يُستورد\n"
    )
    summary = run_import(write(tmp_path, text))
    assert "created: 1" in summary
    article = only_article()
    assert (article.title, article.view_count, article.section.name) == (
        "عنوان الخبر",
        123,
        "محليات",
    )
    assert article.body == "<p>الفقرة الأولى من الخبر.</p>\n<p>الفقرة الثانية.</p>"
    assert article.authors.get().kind == Author.Kind.TEAM
    assert LegacyPath.objects.get().path == "/news/1234.html"


def test_page_without_date_fails_with_its_position(run_import, tmp_path):
    good = "  • فريق ماسة\n  • 2017-04-27\n\nخبر سليم\n\nنص.\n"
    run_import(write(tmp_path, "نص\n\n  • فريق ماسة\n  • 7529\n\nعنوان\n", "bad.txt"))
    folder = tmp_path
    write(folder, good, "good.txt")
    summary = run_import(folder)
    assert "bad.txt:3: no date (YYYY-MM-DD) in the bullet block" in summary
    assert "created: 1" in summary
    assert Article.objects.get().title == "خبر سليم"


def test_reader_gives_source_positions(seed_text):
    item = LegacyPageReader.__new__(LegacyPageReader)
    item.time_zone = __import__("zoneinfo").ZoneInfo("Asia/Damascus")
    item.stop_lines = {"اكتب تعليق"}
    parsed = item.parse(seed_text, "seed.txt")
    assert parsed.position == "seed.txt:22"  # the title's line
    assert parsed.views == 7529
