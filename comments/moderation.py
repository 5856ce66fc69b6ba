"""Who may comment where, and which comments wait for a moderator (registered in apps.py)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django_comments_xtd.moderation import XtdCommentModerator

from comments import rules

# Codes stored in ReaderComment.hold_reason; the admin shows them translated.
HOLD_LINKS = "links"
HOLD_FIRST = "first"
HOLD_BLOCKED = "blocked"


class ArticleCommentModerator(XtdCommentModerator):
    """Articles take comments while published and open (per article, and N days at most)."""

    enable_field = "comments_enabled"
    auto_close_field = "published_at"
    email_notification = True

    @property
    def close_after(self):
        return settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS or None

    def allow(self, comment, content_object, request):
        return content_object.is_published() and super().allow(comment, content_object, request)

    def moderate(self, comment, content_object, request):
        user = comment.user
        if user is not None and user.has_perm("django_comments.can_moderate"):
            return False
        if rules.is_blocked_address(comment.user_email, comment.ip_address):
            comment.is_spam = True
            comment.hold_reason = HOLD_BLOCKED
            return True
        reasons = []
        if rules.too_many_links(comment.comment):
            reasons.append(HOLD_LINKS)
        new_address = rules.is_new_address(comment.user_email)
        if settings.NEWSROOM_COMMENTS_HOLD_FIRST and new_address:
            reasons.append(HOLD_FIRST)
        if settings.COMMENTS_XTD_CONFIRM_EMAIL and new_address and user is None:
            comment.awaiting_confirmation = True
        comment.hold_reason = ",".join(reasons)
        return (
            bool(reasons)
            or comment.awaiting_confirmation
            or super().moderate(comment, content_object, request)
        )

    def email(self, comment, content_object, request):
        """Tell the moderators (settings.MANAGERS) of a comment waiting for them."""
        recipients = [address for _name, address in settings.MANAGERS if address]
        waiting = not (comment.is_public or comment.is_spam or comment.awaiting_confirmation)
        if not (self.email_notification and recipients and waiting):
            return
        context = {
            "comment": comment,
            "content_object": content_object,
            "admin_url": request.build_absolute_uri(
                f"/{request.LANGUAGE_CODE}/admin/comments/readercomment/?state=waiting"
            ),
        }
        subject = gettext("A comment is waiting for moderation: %(title)s") % {
            "title": content_object
        }
        body = render_to_string("comments/email/moderator.txt", context)
        transaction.on_commit(
            lambda: send_mail(
                subject, body, settings.COMMENTS_XTD_FROM_EMAIL, recipients, fail_silently=True
            )
        )


def comments_open(article) -> bool:
    """Open per article, while published, and for N days at most: the moderator's rules."""
    from django_comments.moderation import moderator

    moderation = moderator._registry.get(type(article))
    return moderation is None or moderation.allow(None, article, None)
