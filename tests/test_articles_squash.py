"""The articles app's twenty migrations became three (issue 27): 0001 to 0010 squashed into one,
0011 kept (it moves models to counters/ and discovery/ and others depend on it), 0012 to 0016
squashed into one. A database at the twenty's head takes the squashes as applied, runs none of
their operations and keeps every row; a new database gets the schema the twenty made, which
tests/data/articles_schema_at_0016.json holds as they made it (the same catalogue queries on a
database migrated by the twenty, before the squash)."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from articles.models import (
    Correction,
    MediaImage,
    StatusChange,
    StoryFile,
    StoryFileEntry,
    Topic,
    TopicRedirect,
)
from counters.models import ArticleViewDay, ViewReader, ViewSalt
from discovery.models import SearchTerm
from tests.factories import image_upload, make_article

SCHEMA_AT_0016 = Path(__file__).resolve().parent / "data" / "articles_schema_at_0016.json"
FIRST = "0001_initial_squashed_0010_arabic_role_names"
SECOND = "0012_topics_squashed_0016_faster_search_text"
REPLACED = [
    "0001_initial", "0002_comments_enabled", "0002_editorial_desk", "0002_search_discovery",
    "0002_view_counter", "0003_editorial_roles", "0003_search_terms",
    "0004_merge_0002_comments_enabled_0003_editorial_roles", "0005_history_comments_enabled",
    "0006_merge_0003_search_terms_0005_history_comments_enabled", "0007_merge_20261125_1809",
    "0008_live_latest_index", "0009_flagged_index", "0010_arabic_role_names",
    "0012_topics", "0013_story_files", "0014_versions_keep_topics_and_bylines",
    "0015_section_in_navigation", "0016_faster_search_text",
]  # fmt: skip
# Every app of the project at the squash (later migrations are unapplied first, then reapplied).
HEAD_AT_THE_SQUASH = [
    ("accounts", "0001_initial"),
    ("archive", "0004_legacy_paths_of_topics"),
    ("articles", SECOND),
    ("comments", "0002_comment_moderators_group"),
    ("counters", "0003_viewday_shards_index"),
    ("desk", "0001_initial"),
    ("digests", "0001_initial"),
    ("discovery", "0001_initial"),
    ("live", "0002_revisions"),
    ("newsroom", "0001_job_runs"),
    ("pages", "0001_static_pages"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def articles_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            r"AND tablename LIKE 'articles\_%%' ORDER BY 1"
        )
        return [table for (table,) in cursor.fetchall()]


def columns_of(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "ORDER BY ordinal_position",
            [table],
        )
        return [name for (name,) in cursor.fetchall()]


def every_row(columns: dict[str, list[str]] | None = None) -> dict[str, list]:
    """Every row of the articles tables; with ``columns``, only those tables and columns (the
    ones the squash's head had: later migrations add columns that were not there before)."""
    rows = {}
    with connection.cursor() as cursor:
        for table in columns or articles_tables():
            names = (columns or {}).get(table) or columns_of(table)
            listed = ", ".join(f'"{name}"' for name in names)
            cursor.execute(f'SELECT {listed} FROM "{table}" ORDER BY 1')
            rows[table] = [tuple(map(repr, row)) for row in cursor.fetchall()]
    return rows


def a_bit_of_everything():
    """At least one row in every table the articles migrations made."""
    article = make_article("خبر قبل الدمج")
    article.title_ar = "خبر قبل الدمج، مصححاً"
    article.save()  # a second version in the history
    topic = Topic.objects.create(name_ar="الاقتصاد")
    article.topics.add(topic)
    TopicRedirect.objects.create(slug="الاقتصاد-القديم", topic=topic)
    story = StoryFile.objects.create(title_ar="ملف الأسبوع")
    StoryFileEntry.objects.create(story_file=story, article=article, position=1)
    Correction.objects.create(article=article, text="تصحيح الاسم")
    StatusChange.objects.create(article=article, from_status="draft", to_status="published")
    article.library_image = MediaImage.objects.create(image=image_upload(), alt_text="صورة")
    article.save()
    ArticleViewDay.objects.create(article=article, day=date(2026, 12, 1), shard=1, views=7)
    ViewReader.objects.create(
        reader=b"\x01" * 16, article_id=article.pk, seen_at=datetime(2026, 12, 1, tzinfo=UTC)
    )
    ViewSalt.objects.create(day=date(2026, 12, 1), salt=b"\x02" * 32)
    SearchTerm.objects.create(word="الاقتصاد", key_length=6, documents=1)


def assert_the_schema_the_twenty_made():
    """The articles tables, columns, indexes and functions as tests/data holds them."""
    from tests.schema import schema_of

    with connection.cursor() as cursor:
        made = schema_of(cursor, "articles_")
    expected = json.loads(SCHEMA_AT_0016.read_text())
    assert sorted(made["tables"]) == sorted(expected["tables"])
    for table, shape in expected["tables"].items():
        assert json.loads(json.dumps(made["tables"][table])) == shape, table
    assert made["functions"] == expected["functions"]


@pytest.mark.django_db(transaction=True)
def test_the_squashes_make_the_twentys_schema_and_a_database_at_the_twenty_keeps_every_row():
    """Both halves of the squash's promise in one walk back and forth through the project's
    migrations (each walk takes 10-20 s; two tests made two walks): the test database was
    made by the squashes, so at the twenty's head its schema is what the squashes made, and
    it must be what the twenty made; then, recorded as a database migrated by the twenty, it
    migrates forward keeping every row."""
    # Rows are written with today's models, then the later migrations (of articles and of the
    # apps that came after the squash) are unapplied: their columns and tables go, rows stay.
    a_bit_of_everything()
    migrate(HEAD_AT_THE_SQUASH)
    try:
        assert_the_schema_the_twenty_made()
        # What a database migrated before the squash records: the twenty names, not the squashes.
        recorder = MigrationRecorder(connection)
        recorder.migration_qs.filter(app="articles", name__in=[FIRST, SECOND]).delete()
        for name in REPLACED:
            recorder.record_applied("articles", name)
        shape = {table: columns_of(table) for table in articles_tables()}
        before = every_row(shape)
        assert all(before.values()), [table for table, rows in before.items() if not rows]

        executor = MigrationExecutor(connection)
        assert ("articles", FIRST) in executor.loader.applied_migrations
        assert ("articles", SECOND) in executor.loader.applied_migrations
        assert executor.migration_plan(HEAD_AT_THE_SQUASH) == []  # nothing of the squashes runs
        migrate(latest())

        assert every_row(shape) == before
        applied = recorder.applied_migrations()
        assert ("articles", FIRST) in applied and ("articles", SECOND) in applied
    finally:
        migrate(latest())  # the next tests get today's schema, whatever failed here
