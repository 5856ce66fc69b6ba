"""The view counter's models, moved from articles/ without touching a table or a row: the
tables keep their names (Meta.db_table) and this migration only adds the models to this app's
state. On a new database the tables are made by articles' first (squashed) migration."""

import django.db.models.deletion
from django.db import migrations, models

MOVED_MODELS = ["articleviewday", "viewreader", "viewsalt"]


def move_content_types(apps, schema_editor):
    """Keep permissions, group grants and admin history: the content types of the moved
    models change app instead of being made anew."""
    content_type = apps.get_model("contenttypes", "ContentType")
    made_anew = content_type.objects.filter(app_label="counters").values_list("model", flat=True)
    content_type.objects.filter(app_label="articles", model__in=MOVED_MODELS).exclude(
        model__in=list(made_anew)
    ).update(app_label="counters")


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="counters", model__in=MOVED_MODELS).update(
        app_label="articles"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0001_initial_squashed_0010_arabic_role_names"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ViewReader",
                    fields=[
                        (
                            "pk",
                            models.CompositePrimaryKey(
                                "reader",
                                "article_id",
                                blank=True,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("reader", models.BinaryField(max_length=16, verbose_name="reader hash")),
                        ("article_id", models.BigIntegerField(verbose_name="article")),
                        ("seen_at", models.DateTimeField(verbose_name="counted at")),
                    ],
                    options={
                        "verbose_name": "recent reader",
                        "verbose_name_plural": "recent readers",
                        "db_table": "articles_viewreader",
                    },
                ),
                migrations.CreateModel(
                    name="ViewSalt",
                    fields=[
                        (
                            "day",
                            models.DateField(primary_key=True, serialize=False, verbose_name="day"),
                        ),
                        ("salt", models.BinaryField(max_length=32, verbose_name="salt")),
                    ],
                    options={
                        "verbose_name": "view salt",
                        "verbose_name_plural": "view salts",
                        "db_table": "articles_viewsalt",
                    },
                ),
                migrations.CreateModel(
                    name="ArticleViewDay",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("day", models.DateField(verbose_name="day")),
                        (
                            "shard",
                            models.PositiveSmallIntegerField(default=0, verbose_name="shard"),
                        ),
                        ("views", models.PositiveBigIntegerField(default=0, verbose_name="views")),
                        (
                            "article",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="daily_views",
                                to="articles.article",
                                verbose_name="article",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "daily views",
                        "verbose_name_plural": "daily views",
                        "db_table": "articles_articleviewday",
                        "indexes": [models.Index(fields=["day"], name="article_view_day_day_idx")],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("article", "day", "shard"), name="article_view_day_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
