"""Role permissions, shared by migration 0003 and articles.roles (post_migrate)."""

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
        # The redirect manager (redirects/): its permissions are added by its post_migrate.
        "redirects.add_redirect", "redirects.change_redirect", "redirects.delete_redirect",
        "redirects.view_redirect", "redirects.view_slughistory",
    ],
    MODERATORS: [
        "django_comments.can_moderate", "django_comments.change_comment",
        "django_comments.view_comment",
        "django_comments_xtd.change_xtdcomment", "django_comments_xtd.view_xtdcomment",
    ],
}  # fmt: skip
