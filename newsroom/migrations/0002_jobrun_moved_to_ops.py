"""The ledger of periodic jobs moved to ops/: removed from this app's state only. Its table
(newsroom_jobrun) and every row in it stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_job_runs"),
        ("ops", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="JobRun")],
            database_operations=[],
        ),
    ]
