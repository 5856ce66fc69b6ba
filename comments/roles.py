"""The comment moderators' group: made by migration 0002 and kept after every migrate/flush."""

from django.contrib.auth.models import Group, Permission

from comments.migrations._roles import GROUP, PERMISSIONS  # the one list


def ensure_moderators_group(using="default", **kwargs):
    """post_migrate receiver: get_or_create the group and give it the comment permissions.

    Other roles (the editorial workflow) may create the same group; get_or_create keeps one.
    """
    group, _created = Group.objects.using(using).get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        permission = (
            Permission.objects.using(using)
            .filter(content_type__app_label=app_label, codename=codename)
            .first()
        )
        if permission is not None:
            group.permissions.add(permission)
    return group
