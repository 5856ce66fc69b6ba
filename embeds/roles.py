"""The editors («المحررون») see every embed, why a link became a card, edit cards and ask the
providers again; they make photo galleries. Granted after every migrate (and test flush),
like the other roles."""

from django.contrib.auth.models import Group, Permission

from articles.roles import EDITORS

EDITOR_PERMISSIONS = (
    "change_embed", "view_embed",
    "add_gallery", "change_gallery", "delete_gallery", "view_gallery",
    "add_galleryitem", "change_galleryitem", "delete_galleryitem", "view_galleryitem",
)  # fmt: skip


def ensure_editor_permissions(using="default", **kwargs):
    """post_migrate receiver: the editors' group gets the embeds' permissions (if it exists)."""
    group = Group.objects.using(using).filter(name=EDITORS).first()
    if group is None:
        return
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="embeds", codename__in=EDITOR_PERMISSIONS
    )
    group.permissions.add(*permissions)
