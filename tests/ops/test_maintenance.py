"""Maintenance jobs run under their own statement timeout, in batches."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from counters import readers
from counters.models import ArticleViewDay, ArticleViewHour, ViewReader
from discovery.models import SearchTerm
from ops.maintenance import job_session, statement_timeout
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


def test_purge_view_readers_deletes_old_hourly_rows_in_batches_too():
    article = make_article()
    now = timezone.now()
    ArticleViewHour.objects.bulk_create(
        ArticleViewHour(article=article, hour=now - timedelta(days=30, hours=n), views=1)
        for n in range(5)
    )
    ArticleViewHour.objects.create(article=article, hour=now, views=4)
    with CaptureDeletes() as deletes:
        readers.purge_readers(batch_size=2)
    assert list(ArticleViewHour.objects.values_list("views", flat=True)) == [4]
    assert sum("counters_articleviewhour" in sql for sql in deletes) == 3  # 2 + 2 + 1


def test_compact_days_in_batches_folds_as_in_one():
    """Shard rows of past days fold into row 0 a few per statement; no view lost or doubled,
    today's shards kept."""
    articles = [make_article(ago=timedelta(days=5)) for _ in range(3)]
    today = timezone.localdate()
    rows = [
        ArticleViewDay(article=article, day=today - timedelta(days=day), shard=shard, views=n)
        for n, article in enumerate(articles, start=1)
        for day in (0, 1, 2)
        for shard in (0, 1, 2, 5)
    ]
    ArticleViewDay.objects.bulk_create(rows)
    totals = {a.pk: sum(r.views for r in rows if r.article == a) for a in articles}
    calls = []
    assert readers.compact_days(before=today, batch_size=4, progress=calls.append) == 18
    assert calls == [4, 8, 12, 16, 18, 18]  # 3 articles x 2 past days x 3 shards, then none
    past = ArticleViewDay.objects.filter(day__lt=today)
    assert set(past.values_list("shard", flat=True)) == {0}
    assert past.count() == 3 * 2
    assert ArticleViewDay.objects.filter(day=today).count() == 3 * 4
    for article in articles:
        stored = ArticleViewDay.objects.filter(article=article).values_list("views", flat=True)
        assert sum(stored) == totals[article.pk]


def test_the_shard_rows_to_fold_have_their_own_index():
    """compact_days finds the few shard rows without reading every past day's row 0."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'article_view_day_shards_idx'"
        )
        (definition,) = cursor.fetchone()
    assert "(day)" in definition and "WHERE (NOT (shard = 0))" in definition


def test_purge_view_readers_runs_outside_the_web_timeout_in_batches(monkeypatch, settings):
    settings.NEWSROOM_JOB_STATEMENT_TIMEOUT_MS = 20 * 60_000
    seen = []
    module = "counters.management.commands.purge_view_readers"
    monkeypatch.setattr(
        f"{module}.purge_readers",
        lambda **kw: seen.append(("purge", kw["batch_size"], statement_timeout())) or 0,
    )
    monkeypatch.setattr(
        f"{module}.compact_days",
        lambda **kw: seen.append(("compact", kw["batch_size"], statement_timeout())) or 0,
    )
    call_command("purge_view_readers", compact=True, batch_size=123, verbosity=0)
    assert seen == [("purge", 123, "20min"), ("compact", 123, "20min")]


def test_backup_counts_rows_outside_the_web_timeout_and_says_each_step(
    tmp_path, monkeypatch, settings, capsys
):
    settings.NEWSROOM_JOB_STATEMENT_TIMEOUT_MS = 20 * 60_000
    settings.MEDIA_ROOT = tmp_path / "media"
    dumped, counted = [], []

    def pg_dump(command, **kwargs):  # the real one is tested in tests/security/test_backups.py
        dumped.append(kwargs["env"]["PGOPTIONS"])
        Path(command[command.index("--file") + 1]).write_bytes(b"dump")

    monkeypatch.setattr("ops.backups.subprocess.run", pg_dump)
    monkeypatch.setattr(
        "ops.backups.figures", lambda cursor: counted.append(statement_timeout()) or {}
    )
    web = statement_timeout()
    call_command("backup", to=str(tmp_path / "backups"), verbosity=1)
    assert dumped == ["-c statement_timeout=0"] and counted == ["20min"]
    assert statement_timeout() == web != "20min"  # the web's limit is back afterwards
    err = capsys.readouterr().err
    for step in ("pg_dump of", "database dumped", "rows counted", "media archived"):
        assert step in err


class CaptureDeletes:
    """The DELETE statements run inside the block."""

    def __enter__(self):
        from django.test.utils import CaptureQueriesContext

        self.context = CaptureQueriesContext(connection)
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)

    def __iter__(self):
        return (q["sql"] for q in self.context.captured_queries if q["sql"].startswith("DELETE"))
