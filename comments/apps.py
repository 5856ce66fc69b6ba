from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from django_comments.moderation import moderator

        from articles.models import Article
        from caching.pagecache import register_drawer
        from comments.moderation import ArticleCommentModerator
        from comments.templatetags.comments_tags import FORM_DRAWER, draw_blank_form

        if Article not in moderator._registry:
            moderator.register(Article, ArticleCommentModerator)
        # Answers the page cache keeps sign their comment form again at each hit; a new
        # signature alone is not a new page (a browser's copy keeps a form that still posts,
        # or is asked to send again with the reader's text kept).
        register_drawer(FORM_DRAWER, draw_blank_form, in_etag=False)
