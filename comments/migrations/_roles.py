"""The comment moderators' group and permissions, shared by migration 0002 and
comments.roles (post_migrate)."""

GROUP = "مشرفو التعليقات"
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
