"""The editors («المحررون») run live coverage: start and end it, post, edit and remove entries.
Granted after every migrate (and test flush), like the other roles (articles/roles.py)."""

from django.contrib.auth.models import Group, Permission

from articles.roles import EDITORS

EDITOR_PERMISSIONS = (
    "add_livecoverage", "change_livecoverage", "view_livecoverage",
    "add_liveentry", "change_liveentry", "view_liveentry",
)  # fmt: skip
POST = "live.add_liveentry"
MANAGE = "live.change_livecoverage"


def ensure_editor_permissions(using="default", **kwargs):
    """post_migrate receiver: the editors' group gets the live permissions (if it exists)."""
    group = Group.objects.using(using).filter(name=EDITORS).first()
    if group is None:
        return
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="live", codename__in=EDITOR_PERMISSIONS
    )
    group.permissions.add(*permissions)


def can_post(user) -> bool:
    return user.has_perm(POST)


def can_manage(user) -> bool:
    return user.has_perm(MANAGE)
