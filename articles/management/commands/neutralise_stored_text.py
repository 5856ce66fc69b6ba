"""Text stored before saves refused control characters and bidi overrides, cleaned the same way.

    manage.py neutralise_stored_text [--dry-run]

Every model's text columns (``CharField``, ``TextField``), in place, one ``UPDATE`` per
column that holds such a character (``articles.text.UNSTORABLE``, the rule every save and
every COPY now applies). Run once after upgrading; running it again changes nothing. Rows are
not saved one by one (no history versions, no cache bumps): pages kept before keep showing
what they showed until they change, or until ``purge_pages``.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, models, transaction

from articles.text import UNSTORABLE

# The same characters as a PostgreSQL regular expression (its bracket expressions take the
# characters themselves; NUL cannot be in a PostgreSQL text anyway).
PATTERN = UNSTORABLE.pattern.replace("\x00", "\x01")


class Command(BaseCommand):
    help = "Remove control characters and bidi overrides from text stored before they were refused."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        quote = connection.ops.quote_name
        total = 0
        with transaction.atomic():
            for model in apps.get_models():
                if model._meta.proxy or not model._meta.managed:
                    continue
                for field in model._meta.local_concrete_fields:
                    if not isinstance(field, models.CharField | models.TextField):
                        continue
                    table, column = quote(model._meta.db_table), quote(field.column)
                    with connection.cursor() as cursor:
                        if dry_run:
                            cursor.execute(
                                f"SELECT count(*) FROM {table} WHERE {column} ~ %s", [PATTERN]
                            )
                            count = cursor.fetchone()[0]
                        else:
                            cursor.execute(
                                f"UPDATE {table} SET {column} = regexp_replace({column}, %s, "
                                f"'', 'g') WHERE {column} ~ %s",
                                [PATTERN, PATTERN],
                            )
                            count = cursor.rowcount
                    if count:
                        total += count
                        self.stdout.write(f"{model._meta.label}.{field.name}: {count}")
        verb = "would be cleaned" if dry_run else "cleaned"
        self.stdout.write(f"{total} values {verb}.")
