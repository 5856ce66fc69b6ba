"""The house re-cut (issue 14) moved the view counter's models to counters/ and the search
vocabulary to discovery/ without touching a table or a row: a database made at the previous
layout's migrations keeps every view count, reader, salt and search term after ``migrate``,
and the permissions granted on the moved models follow them. (That layout is now the state
after articles' first squashed migration, which replaces 0001 to 0010.)"""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from counters.models import ArticleViewDay, ViewReader, ViewSalt
from discovery.models import SearchTerm
from tests.factories import make_article

BEFORE_THE_MOVE = [
    ("articles", "0001_initial_squashed_0010_arabic_role_names"),
    ("counters", None),
    ("discovery", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_the_move_keeps_every_row():
    article = make_article("خبر قبل النقل")
    grant = Group.objects.create(name="قراء الأرقام")
    grant.permissions.add(Permission.objects.get(codename="view_articleviewday"))
    moved_type = ContentType.objects.get(app_label="counters", model="articleviewday").pk

    executor = migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state(BEFORE_THE_MOVE[:1]).apps
    # The previous layout: the models belong to articles (and so do their content types).
    assert ContentType.objects.get(pk=moved_type).app_label == "articles"
    old.get_model("articles", "ArticleViewDay").objects.bulk_create(
        [
            old.get_model("articles", "ArticleViewDay")(
                article_id=article.pk, day=date(2026, 12, day), shard=shard, views=10 * day + shard
            )
            for day in (1, 2, 3)
            for shard in (0, 1)
        ]
    )
    old.get_model("articles", "ViewReader").objects.create(
        reader=b"\x01" * 16,
        article_id=article.pk,
        seen_at=datetime(2026, 12, 3, tzinfo=UTC),
    )
    old.get_model("articles", "ViewSalt").objects.create(day=date(2026, 12, 3), salt=b"\x02" * 32)
    old.get_model("articles", "SearchTerm").objects.create(
        word="الاقتصاد", key_length=6, documents=42
    )

    migrate(latest())

    days = ArticleViewDay.objects.filter(article=article).order_by("day", "shard")
    assert [(row.day.day, row.shard, row.views) for row in days] == [
        (1, 0, 10), (1, 1, 11), (2, 0, 20), (2, 1, 21), (3, 0, 30), (3, 1, 31)
    ]  # fmt: skip
    assert article.daily_views.count() == 6
    reader = ViewReader.objects.get()
    assert (bytes(reader.reader), reader.article_id) == (b"\x01" * 16, article.pk)
    assert bytes(ViewSalt.objects.get(day=date(2026, 12, 3)).salt) == b"\x02" * 32
    assert SearchTerm.objects.get(word="الاقتصاد").documents == 42
    # The content type changed app rather than being made anew: grants follow the model.
    assert ContentType.objects.get(pk=moved_type).app_label == "counters"
    assert grant.permissions.filter(
        content_type__app_label="counters", codename="view_articleviewday"
    ).exists()
    assert not ContentType.objects.filter(app_label="articles", model="articleviewday").exists()


@pytest.mark.django_db(transaction=True)
def test_the_move_touches_no_table():
    """The moving migrations change the state only: their SQL is empty."""
    executor = MigrationExecutor(connection)
    for app, name in [
        ("counters", "0001_initial"),
        ("discovery", "0001_initial"),
        ("articles", "0011_view_counter_and_search_terms_moved"),
    ]:
        plan = [(executor.loader.graph.nodes[app, name], False)]
        statements = executor.loader.collect_sql(plan)
        assert [sql for sql in statements if not sql.startswith("--")] == [], (app, name)


@pytest.mark.django_db(transaction=True)
def test_the_job_ledger_moved_to_ops_keeps_its_rows_and_grants():
    """Issue 27 moved the periodic jobs' ledger (JobRun) from newsroom/ to ops/: same table
    (``newsroom_jobrun``), same rows, the content type (and so the grants) follow."""
    from ops.models import JobRun

    grant = Group.objects.create(name="المشغلون")
    grant.permissions.add(Permission.objects.get(codename="view_jobrun"))
    moved_type = ContentType.objects.get(app_label="ops", model="jobrun").pk

    before = [("newsroom", "0001_job_runs"), ("ops", None)]
    executor = migrate(before)
    old = executor.loader.project_state(before[:1]).apps
    assert ContentType.objects.get(pk=moved_type).app_label == "newsroom"
    old.get_model("newsroom", "JobRun").objects.create(
        job="purge_view_readers", period_start=datetime(2026, 12, 6, tzinfo=UTC), runner="a:1"
    )

    migrate(latest())

    run = JobRun.objects.get()
    assert (run.job, run.period_start, run.runner) == (
        "purge_view_readers", datetime(2026, 12, 6, tzinfo=UTC), "a:1"
    )  # fmt: skip
    assert ContentType.objects.get(pk=moved_type).app_label == "ops"
    assert grant.permissions.filter(content_type__app_label="ops", codename="view_jobrun").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM newsroom_jobrun")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_the_job_ledger_move_touches_no_table():
    executor = MigrationExecutor(connection)
    for app, name in [("ops", "0001_initial"), ("newsroom", "0002_jobrun_moved_to_ops")]:
        plan = [(executor.loader.graph.nodes[app, name], False)]
        statements = executor.loader.collect_sql(plan)
        assert [sql for sql in statements if not sql.startswith("--")] == [], (app, name)
