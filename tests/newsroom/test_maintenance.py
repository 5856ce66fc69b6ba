"""Maintenance jobs run under their own statement timeout, in batches."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from counters import readers
from counters.models import ViewReader
from discovery.models import SearchTerm
from newsroom.maintenance import job_session, statement_timeout
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_job_session_has_its_own_statement_timeout(settings):
    settings.NEWSROOM_JOB_STATEMENT_TIMEOUT_MS = 45 * 60_000
    web = statement_timeout()
    assert web != "45min"
    with job_session():
        assert statement_timeout() == "45min"
    assert statement_timeout() == web


def test_refresh_search_terms_runs_outside_the_web_timeout(monkeypatch, settings):
    settings.NEWSROOM_JOB_STATEMENT_TIMEOUT_MS = 20 * 60_000
    seen = []
    monkeypatch.setattr(
        "discovery.management.commands.refresh_search_terms.refresh_search_terms",
        lambda **kwargs: seen.append(statement_timeout()) or 0,
    )
    call_command("refresh_search_terms", verbosity=0)
    assert seen == ["20min"]


def test_refresh_search_terms_in_batches_counts_as_in_one():
    for title in ("الأجانب في حلب", "ترحيل الأجانب", "الأجانب والحكومة", "خبر آخر"):
        make_article(title, body_ar="<p>الحكومة تعلن</p>")
    call_command("refresh_search_terms", verbosity=0)
    whole = dict(SearchTerm.objects.values_list("word", "documents"))
    call_command("refresh_search_terms", batch_size=1, verbosity=0)
    assert dict(SearchTerm.objects.values_list("word", "documents")) == whole
    assert whole["الاجانب"] == 3 and whole["الحكومه"] == 4


def test_purge_view_readers_deletes_in_batches():
    old = timezone.now() - timedelta(days=2)
    ViewReader.objects.bulk_create(
        ViewReader(reader=bytes([n]) * 16, article_id=1, seen_at=old) for n in range(5)
    )
    ViewReader.objects.create(reader=b"n" * 16, article_id=1, seen_at=timezone.now())
    calls = []
    assert readers.purge_readers(batch_size=2, progress=calls.append) == 5
    assert calls == [2, 4, 5]
    assert ViewReader.objects.count() == 1
