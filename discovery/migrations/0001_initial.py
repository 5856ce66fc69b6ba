"""The search vocabulary (SearchTerm), moved from articles/ without touching its table or rows
(Meta.db_table keeps ``articles_searchterm``, made by articles' first (squashed) migration)."""

import django.db.models.deletion  # noqa: F401 (used by the generated fields below)
from django.db import migrations, models

MOVED_MODELS = ["searchterm"]


def move_content_types(apps, schema_editor):
    """Keep permissions, group grants and admin history: the content types of the moved
    models change app instead of being made anew."""
    content_type = apps.get_model("contenttypes", "ContentType")
    made_anew = content_type.objects.filter(app_label="discovery").values_list("model", flat=True)
    content_type.objects.filter(app_label="articles", model__in=MOVED_MODELS).exclude(
        model__in=list(made_anew)
    ).update(app_label="discovery")


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="discovery", model__in=MOVED_MODELS).update(
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
                    name="SearchTerm",
                    fields=[
                        (
                            "word",
                            models.CharField(
                                max_length=100,
                                primary_key=True,
                                serialize=False,
                                verbose_name="word",
                            ),
                        ),
                        (
                            "key_length",
                            models.PositiveSmallIntegerField(
                                help_text="Letters, without a leading definite article.",
                                verbose_name="length",
                            ),
                        ),
                        ("documents", models.PositiveIntegerField(verbose_name="articles")),
                    ],
                    options={
                        "verbose_name": "search term",
                        "verbose_name_plural": "search terms",
                        "db_table": "articles_searchterm",
                        "ordering": ("-documents",),
                        "indexes": [
                            models.Index(
                                fields=["key_length", "-documents"], name="searchterm_length_idx"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
