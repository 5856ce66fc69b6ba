"""Backup and restore round trip: into a scratch database, counts compared before and after."""

import os
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from articles.models import Article
from ops.backups import drop_database, pg_program
from tests.factories import image_upload, make_article

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump must see committed rows


def post_comments(article, count):
    import django_comments
    from django.contrib.sites.models import Site

    model = django_comments.get_model()
    for number in range(count):
        model.objects.create(
            content_object=article,
            site=Site.objects.get_current(),
            user_name=f"قارئ {number}",
            user_email=f"reader{number}@example.org",
            comment=f"تعليق رقم {number}",
            is_public=True,
        )


def test_backup_and_restore_round_trip(tmp_path, settings):
    if not Path(pg_program("pg_dump")).exists():
        pytest.skip("pg_dump not found (pgserver package or NEWSROOM_PG_BIN)")
    first = make_article("خبر أول", view_count=7529, image=image_upload(size=(300, 200)))
    second = make_article("خبر ثان", view_count=12)
    post_comments(first, 3)
    post_comments(second, 2)
    import django_comments

    before = {
        "articles": Article.objects.count(),
        "comments": django_comments.get_model().objects.count(),
        "views": Article.objects.aggregate(total=Sum("view_count"))["total"],
    }
    assert before == {"articles": 2, "comments": 5, "views": 7541}

    call_command("backup", to=str(tmp_path / "backups"), verbosity=0)
    (folder,) = (tmp_path / "backups").iterdir()
    assert (folder / "database.dump").stat().st_size > 1000
    assert (folder / "manifest.json").exists()

    scratch = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    restored_media = tmp_path / "restored-media"
    try:
        call_command(
            "restore", str(folder), database_name=scratch, media_root=str(restored_media), yes=True
        )
        import psycopg

        from ops.backups import _libpq_kwargs

        with psycopg.connect(**_libpq_kwargs(connection.settings_dict), dbname=scratch) as conn:
            after = {
                "articles": conn.execute("SELECT count(*) FROM articles_article").fetchone()[0],
                "comments": conn.execute("SELECT count(*) FROM django_comments").fetchone()[0],
                "views": conn.execute("SELECT sum(view_count) FROM articles_article").fetchone()[0],
            }
    finally:
        drop_database(connection.settings_dict, scratch)
    assert after == before
    restored_image = restored_media / first.image.name
    assert (
        restored_image.read_bytes() == (Path(settings.MEDIA_ROOT) / first.image.name).read_bytes()
    )
    for rendition in first.image_renditions:
        assert (restored_media / rendition["webp"]).exists()


def test_restore_refuses_without_confirmation(tmp_path, monkeypatch, settings):
    settings.NEWSROOM_BACKUP_DIR = tmp_path
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", yes=True)
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "manifest.json").write_text("{}")
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore")
    assert os.environ.get("PGDATABASE") is None
