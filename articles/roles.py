"""The newsroom's roles: one table of who may do what, read by the migrations that made the
groups (articles 0001_initial_squashed_0010, comments 0002) and by the post_migrate receivers
that keep them.

A test database flush (transactional and browser tests) empties auth_group; the
post_migrate receiver puts the roles back. Other apps add their own permissions to these
roles by name (comments/roles.py for the moderators, live/roles.py for the editors). Nothing
here may import models: migrations import this module.
"""

WRITERS = "كتّاب الأخبار"
EDITORS = "المحررون"
MODERATORS = "مشرفو التعليقات"

ROLE_PERMISSIONS = {
    WRITERS: [
        "articles.add_article", "articles.change_article", "articles.view_article",
        "articles.view_section", "articles.view_author",
        "articles.add_mediaimage", "articles.view_mediaimage",
        "articles.view_correction", "articles.view_statuschange",
        "articles.add_byline", "articles.change_byline", "articles.delete_byline",
        "articles.view_byline",
        "articles.add_topic", "articles.view_topic",
        # The desk's intake (wires/): read the wires, take them, pitch stories.
        "wires.view_wireitem", "wires.view_takenwire",
        "wires.add_pitch", "wires.change_pitch", "wires.view_pitch",
    ],
    EDITORS: [
        "articles.add_article", "articles.change_article", "articles.delete_article",
        "articles.view_article", "articles.publish_article",
        "articles.view_historicalarticle",
        "articles.add_section", "articles.change_section", "articles.view_section",
        "articles.add_author", "articles.change_author", "articles.view_author",
        "articles.add_mediaimage", "articles.change_mediaimage", "articles.view_mediaimage",
        "articles.add_correction", "articles.view_correction",
        "articles.view_historicalcorrection", "articles.view_statuschange",
        "articles.add_byline", "articles.change_byline", "articles.delete_byline",
        "articles.view_byline",
        "articles.add_topic", "articles.change_topic", "articles.delete_topic",
        "articles.view_topic", "articles.view_topicredirect",
        # The redirect manager (redirects/): given when its tables exist (post_migrate).
        "redirects.add_redirect", "redirects.change_redirect", "redirects.delete_redirect",
        "redirects.view_redirect", "redirects.view_slughistory",
        "wires.view_feed", "wires.view_wireitem", "wires.view_takenwire",
        "wires.add_pitch", "wires.change_pitch", "wires.delete_pitch", "wires.view_pitch",
        # The front page (frontpage/): its draft, blocks and slots, preview and publish.
        *(f"frontpage.{action}_{model}" for model in ("layout", "block", "slot")
          for action in ("add", "change", "delete", "view")),
        # Rich media (embeds/): every embed and why a link became a card; photo galleries.
        "embeds.change_embed", "embeds.view_embed",
        *(f"embeds.{action}_{model}" for model in ("gallery", "galleryitem")
          for action in ("add", "change", "delete", "view")),
    ],
    MODERATORS: [
        "django_comments.can_moderate", "django_comments.change_comment",
        "django_comments.view_comment",
        "django_comments_xtd.change_xtdcomment", "django_comments_xtd.view_xtdcomment",
    ],
}  # fmt: skip


def ensure_roles(using="default", **kwargs):
    """post_migrate receiver: get_or_create each role and give it its permissions."""
    from django.contrib.auth.models import Group, Permission

    for name, codes in ROLE_PERMISSIONS.items():
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
