"""The newsroom's three roles as groups, and the normalised titles of existing articles.

Group names are stable English identifiers (the admin shows them as they are); other apps
may get_or_create the same groups and add their own permissions.
"""

from django.db import migrations

from articles.roles import ROLE_PERMISSIONS  # the one table, shared with the code


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations ran; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


def fill_title_search(apps, schema_editor):
    from articles.text import normalize_arabic

    Article = apps.get_model("articles", "Article")
    batch = []
    for article in Article.objects.only("pk", "title", "title_ar", "title_en").iterator():
        text = " ".join(filter(None, (article.title_ar, article.title_en))) or article.title
        article.title_search = normalize_arabic(text).lower()[:520]
        batch.append(article)
    Article.objects.bulk_update(batch, ["title_search"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_editorial_desk"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
        ("django_comments_xtd", "0008_auto_20200920_2037"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(fill_title_search, migrations.RunPython.noop),
    ]
