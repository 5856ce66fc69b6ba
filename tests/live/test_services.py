"""Live coverage's models and services: entries, pins, edits, removal, the end, bad input."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from live import services
from live.models import LiveCoverage, LiveEntry
from tests.factories import make_article

pytestmark = pytest.mark.django_db


class TestCleanEntryBody:
    def test_plain_text_lines_become_paragraphs(self):
        body = services.clean_entry_body("السطر الأول\n\nالسطر الثاني <")
        assert body == "<p>السطر الأول</p><p>السطر الثاني &lt;</p>"

    def test_plain_text_with_markup_is_sanitised(self):
        body = services.clean_entry_body('<p onclick="x()">نص <script>alert(1)</script>آمن</p>')
        assert "script" not in body and "onclick" not in body and "نص" in body

    @pytest.mark.parametrize(
        "raw",
        [
            "",
            "   ",
            "\u200f\u200b ",
            "<script>alert(1)</script>",
            "<style>p { color: red }</style>",
            "<p> </p>",
            "<p>&nbsp;</p>",
            '<img src="/x.png">',
        ],
    )
    def test_nothing_readable_is_refused_in_arabic(self, raw):
        """Told that code was removed when the sanitiser took away what there was to read."""
        with pytest.raises(ValidationError) as caught:
            services.clean_entry_body(raw)
        code = "script" in raw or "style" in raw
        said = "لم يبقَ نص يُقرأ" if code else "اكتب نص التحديث."
        assert caught.value.messages[0].startswith(said), caught.value.messages

    def test_too_long_is_refused_in_arabic_with_the_limit(self, settings):
        settings.NEWSROOM_LIVE_ENTRY_MAX_CHARS = 100
        with pytest.raises(ValidationError) as caught:
            services.clean_entry_body("ث" * 101)
        assert caught.value.messages == ["التحديث طويل جدًا (101 حرفًا). الحد الأقصى 100."]
        with pytest.raises(ValidationError):
            services.clean_entry_body("<b></b>" * 1000)  # markup counted before parsing
        assert services.clean_entry_body("ث" * 100)


class TestEntries:
    def test_posting_records_who_and_when(self, live_article, admin_user):
        entry = services.post_entry(
            coverage=live_article["coverage"], body="تحديث", user=admin_user, is_breaking=True
        )
        assert entry.posted_by == admin_user and entry.is_breaking and entry.posted_at
        assert entry.edited_at is None and entry.removed_at is None

    def test_one_pinned_entry_per_coverage(self, live_article):
        coverage = live_article["coverage"]
        one = services.post_entry(coverage=coverage, body="أول", is_pinned=True)
        two = services.post_entry(coverage=coverage, body="ثان", is_pinned=True)
        one.refresh_from_db()
        assert not one.is_pinned and two.is_pinned
        with pytest.raises(IntegrityError), transaction.atomic():
            LiveEntry.objects.filter(pk=one.pk).update(is_pinned=True)

    def test_editing_marks_the_entry_edited(self, live_article):
        entry = live_article["first"]
        entry.body = "نص مصحح <script>x</script>"
        services.save_edited_entry(entry=entry)
        entry.refresh_from_db()
        assert entry.edited_at is not None and "script" not in entry.body

    def test_removal_hides_but_keeps_the_entry_and_its_history(self, live_article):
        entry = live_article["first"]
        services.remove_entry(entry=entry)
        assert LiveEntry.objects.filter(pk=entry.pk).exists()
        assert entry not in LiveEntry.objects.visible()
        assert entry.history.count() == 2  # posted, removed
        services.restore_entry(entry=entry)
        assert entry in LiveEntry.objects.visible()

    def test_no_entry_once_the_coverage_has_ended(self, live_article):
        coverage = services.end_coverage(coverage=live_article["coverage"])
        assert coverage.state == "ended" and coverage.ended_at
        with pytest.raises(ValidationError) as caught:
            services.post_entry(coverage=coverage, body="متأخر")
        assert "انتهت" in caught.value.messages[0]
        assert coverage.entries.count() == 2

    def test_a_coverage_restarts_on_the_same_row(self, live_article):
        article, coverage = live_article["article"], live_article["coverage"]
        services.end_coverage(coverage=coverage)
        again = services.start_coverage(article=article)
        assert again.pk == coverage.pk and again.is_live and again.ended_at is None

    def test_the_state_and_the_end_time_agree_in_the_database(self):
        article = make_article()
        with pytest.raises(IntegrityError), transaction.atomic():
            LiveCoverage.objects.create(article=article, state="ended")

    def test_entries_read_pinned_first_then_newest_first(self, live_article):
        coverage = live_article["coverage"]
        pinned = services.post_entry(coverage=coverage, body="مثبت", is_pinned=True)
        newest = services.post_entry(coverage=coverage, body="الأحدث")
        order = list(coverage.entries.visible().for_reading())
        assert order[:2] == [pinned, newest]
        assert order[2:] == [live_article["second"], live_article["first"]]


class TestRevisions:
    """Every change to an entry readers may have on screen raises the coverage's revision and
    stamps the entry with it; posting a new entry does not (pages ask for those by id)."""

    @staticmethod
    def revisions(live_article):
        coverage = LiveCoverage.objects.get(pk=live_article["coverage"].pk)
        first = LiveEntry.objects.get(pk=live_article["first"].pk)
        return coverage.revision, first.revision

    def test_edit_remove_and_restore_each_raise_it(self, live_article):
        first = live_article["first"]
        assert self.revisions(live_article) == (0, 0)
        services.post_entry(coverage=live_article["coverage"], body="جديد")
        assert self.revisions(live_article) == (0, 0)
        first.body = "مصحح"
        services.save_edited_entry(entry=first)
        assert self.revisions(live_article) == (1, 1)
        services.remove_entry(entry=first)
        services.remove_entry(entry=first)  # already removed: no change, no revision
        assert self.revisions(live_article) == (2, 2)
        services.restore_entry(entry=first)
        assert self.revisions(live_article) == (3, 3)
        assert live_article["second"].revision == 0
        # A bookkeeping column, not a version of the text: the history does not keep it.
        assert "revision" not in {f.name for f in first.history.model._meta.fields}

    def test_taking_the_pin_stamps_the_entry_it_was_taken_from(self, live_article):
        first = live_article["first"]
        pinned = services.post_entry(coverage=live_article["coverage"], body="مثبت", is_pinned=True)
        assert self.revisions(live_article) == (0, 0)
        first.is_pinned = True
        services.save_edited_entry(entry=first)
        pinned.refresh_from_db()
        assert not pinned.is_pinned and pinned.revision == 1
        assert self.revisions(live_article) == (2, 2)
        services.post_entry(coverage=live_article["coverage"], body="مثبت آخر", is_pinned=True)
        first.refresh_from_db()
        assert not first.is_pinned and self.revisions(live_article) == (3, 3)
