"""The comment moderators' permissions on our comment models, given to their role (named in
articles/roles.py): read by migration 0002 that made the group and by the post_migrate receiver
that keeps it after every migrate/flush. Nothing here may import models at import time:
the migration imports this module."""

from articles.roles import MODERATORS

GROUP = MODERATORS
PERMISSIONS = [
    ("django_comments", "can_moderate"),
    ("django_comments", "view_comment"),
    ("django_comments", "change_comment"),
    ("django_comments_xtd", "view_xtdcomment"),
    ("django_comments_xtd", "change_xtdcomment"),
    ("comments", "view_readercomment"),
    ("comments", "change_readercomment"),
    ("comments", "view_blockedterm"),
    ("comments", "add_blockedterm"),
    ("comments", "change_blockedterm"),
    ("comments", "delete_blockedterm"),
]


def ensure_moderators_group(using="default", **kwargs):
    """post_migrate receiver: get_or_create the group and give it the comment permissions.

    Other roles (the editorial workflow) may create the same group; get_or_create keeps one.
    """
    from django.contrib.auth.models import Group, Permission

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
