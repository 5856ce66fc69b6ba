"""The newsroom's roles as groups: made by the first migration and kept after every migrate/flush.

A test database flush (transactional and browser tests) empties auth_group; the
post_migrate receiver puts the roles back, as comments/roles.py does for moderators.
"""

from django.contrib.auth.models import Group, Permission

WRITERS = "كتّاب الأخبار"
EDITORS = "المحررون"


def role_permissions():
    from articles.migrations import _roles  # the one list, shared with the migration

    return _roles.ROLE_PERMISSIONS


def ensure_roles(using="default", **kwargs):
    """post_migrate receiver: get_or_create each role and give it its permissions."""
    for name, codes in role_permissions().items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is not None:
                group.permissions.add(permission)
