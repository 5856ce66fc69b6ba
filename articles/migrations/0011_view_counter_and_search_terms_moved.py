"""The view counter's models moved to counters/, the search vocabulary to discovery/: removed
from this app's state only. Their tables (articles_articleviewday, articles_viewreader,
articles_viewsalt, articles_searchterm) and every row in them stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial_squashed_0010_arabic_role_names"),
        ("counters", "0001_initial"),
        ("discovery", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="articleviewday",
                    name="article",
                ),
                migrations.DeleteModel(
                    name="SearchTerm",
                ),
                migrations.DeleteModel(
                    name="ViewReader",
                ),
                migrations.DeleteModel(
                    name="ViewSalt",
                ),
                migrations.DeleteModel(
                    name="ArticleViewDay",
                ),
            ],
            database_operations=[],
        ),
    ]
