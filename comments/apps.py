from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from django_comments.moderation import moderator

        from articles.models import Article
        from comments.moderation import ArticleCommentModerator

        if Article not in moderator._registry:
            moderator.register(Article, ArticleCommentModerator)
