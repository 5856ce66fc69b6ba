"""The newsroom's roles: one table of who may do what, read by the migrations that made the
groups (articles 0001_initial_squashed_0010, comments 0002) and by the post_migrate receivers
that keep them.

A test database flush (transactional and browser tests) empties auth_group; the
post_migrate receiver puts the roles back. Every app's permissions for a role are in this one
table (comments/roles.py reads the moderators' row for its migration). Nothing here may
import models: migrations import this module.
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
        # Live coverage (live/): start and end it, post, edit and remove entries.
        *(f"live.{action}_{model}" for model in ("livecoverage", "liveentry")
          for action in ("add", "change", "view")),
    ],
    MODERATORS: [
        "django_comments.can_moderate", "django_comments.change_comment",
        "django_comments.view_comment",
        "django_comments_xtd.change_xtdcomment", "django_comments_xtd.view_xtdcomment",
        "comments.view_readercomment", "comments.change_readercomment",
        *(f"comments.{action}_blockedterm" for action in ("add", "change", "delete", "view")),
    ],
}  # fmt: skip


def ensure_roles(using="default", app_config=None, **kwargs):
    """post_migrate receiver (every app's signal): once the last installed app's has been
    sent, every permission exists; get_or_create each role and give it what it lacks.

    A handful of queries, not one or two per permission: the receiver runs after every
    migrate and after every flush of a transactional or browser test."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if app_config is not None and app_config is not list(apps.get_app_configs())[-1]:
        return
    wanted = {code for codes in ROLE_PERMISSIONS.values() for code in codes}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using)
        .filter(codename__in={code.split(".")[1] for code in wanted})
        .values_list("pk", "content_type__app_label", "codename")
    }
    for name, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*(found[code] for code in codes if code in found))
