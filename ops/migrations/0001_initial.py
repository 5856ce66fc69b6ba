"""The ledger of periodic jobs, moved from newsroom/ without touching its table or a row: the
table keeps its name (Meta.db_table, ``newsroom_jobrun``, which ops/jobs.py writes with SQL)
and this migration only adds the model to this app's state. On a new database the table was
made by newsroom's migration 0001."""

import django.utils.timezone
from django.db import migrations, models

MOVED_MODELS = ["jobrun"]


def move_content_types(apps, schema_editor):
    """Keep permissions, group grants and admin history: the content type of the moved
    model changes app instead of being made anew."""
    content_type = apps.get_model("contenttypes", "ContentType")
    made_anew = content_type.objects.filter(app_label="ops").values_list("model", flat=True)
    content_type.objects.filter(app_label="newsroom", model__in=MOVED_MODELS).exclude(
        model__in=list(made_anew)
    ).update(app_label="ops")


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="ops", model__in=MOVED_MODELS).update(
        app_label="newsroom"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("newsroom", "0001_job_runs"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="JobRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("job", models.CharField(max_length=100, verbose_name="job")),
                        ("period_start", models.DateTimeField(verbose_name="period start")),
                        (
                            "started_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="started at"
                            ),
                        ),
                        (
                            "finished_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
                        ),
                        (
                            "runner",
                            models.CharField(
                                help_text="host and process id", max_length=200, verbose_name="run by"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "periodic job run",
                        "verbose_name_plural": "periodic job runs",
                        "ordering": ("-period_start",),
                        "db_table": "newsroom_jobrun",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("job", "period_start"), name="jobrun_once_per_period"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
