"""The subscriber table's two rules say what is wrong in Arabic (no change to the database)."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('digests', '0001_initial'),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name='subscriber',
            name='subscriber_unique_email',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), name='subscriber_unique_email', violation_error_message='This address is already subscribed.'),
        ),
        migrations.AlterConstraint(
            model_name='subscriber',
            name='subscriber_wants_something',
            constraint=models.CheckConstraint(condition=models.Q(('daily', True), ('breaking', True), _connector='OR'), name='subscriber_wants_something', violation_error_message='Choose the daily digest, breaking news or both.'),
        ),
    ]
