"""The roles' groups get Arabic names: the desk shows them as they are stored."""

from django.db import migrations

RENAMES = {
    "Writers": "كتّاب الأخبار",
    "Editors": "المحررون",
    "Comment moderators": "مشرفو التعليقات",
}


def rename(apps, schema_editor, renames=RENAMES):
    Group = apps.get_model("auth", "Group")
    for old, new in renames.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("articles", "0009_flagged_index"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
