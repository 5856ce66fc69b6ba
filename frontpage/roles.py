"""The editors («المحررون») build the front page: its draft, blocks and slots, preview and
publish. Granted after every migrate (and test flush), like the other roles (live/roles.py)."""

from django.contrib.auth.models import Group, Permission

from articles.roles import EDITORS

EDITOR_PERMISSIONS = tuple(
    f"{action}_{model}"
    for model in ("layout", "block", "slot")
    for action in ("add", "change", "delete", "view")
)


def ensure_editor_permissions(using="default", **kwargs):
    """post_migrate receiver: the editors' group gets the front page's permissions."""
    group = Group.objects.using(using).filter(name=EDITORS).first()
    if group is None:
        return
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="frontpage", codename__in=EDITOR_PERMISSIONS
    )
    group.permissions.add(*permissions)
