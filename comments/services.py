"""Posting, confirming, moderating and notifying: the comment operations with side effects."""

import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django_comments.signals import comment_was_posted, comment_will_be_posted
from django_comments.views.moderation import perform_approve, perform_delete

from comments import rules
from comments.models import ReaderComment
from newsroom.client import client_ip, client_key

logger = logging.getLogger(__name__)

CONFIRM_SALT = "comments.confirm"
MUTE_SALT = "comments.mute"


class CommentRefused(Exception):
    """The article takes no comments (closed, unpublished or unknown)."""


class TooManyComments(Exception):
    """Over the per-IP or per-address rate limit."""


@dataclass(frozen=True)
class Posted:
    comment: ReaderComment
    duplicate: bool = False


def post_comment(*, form, request) -> Posted:
    """Store a valid form's comment once, moderated by the registered moderator.

    The unique ``content_hash`` makes the database refuse a duplicate even when identical
    posts race; the loser gets the stored comment back. Mail leaves after the commit.
    """
    comment = form.get_comment_object(site_id=settings.SITE_ID)
    comment.ip_address = client_ip(request)  # None without a usable one (still limited)
    if request.user.is_authenticated:
        comment.user = request.user
    if rules.rate_limited(ip=client_key(request), email=comment.user_email):
        raise TooManyComments
    responses = comment_will_be_posted.send(sender=ReaderComment, comment=comment, request=request)
    if any(response is False for _receiver, response in responses):
        raise CommentRefused
    try:
        with transaction.atomic():
            comment.save()
            transaction.on_commit(partial(_after_post, comment, request))
    except IntegrityError:
        existing = ReaderComment.objects.filter(content_hash=comment.content_hash).first()
        if existing is None:
            raise
        return Posted(existing, duplicate=True)
    comment_was_posted.send(sender=ReaderComment, comment=comment, request=request)
    return Posted(comment)


def _after_post(comment, request):
    if comment.awaiting_confirmation:
        send_confirmation_request(comment, request)
    elif comment.is_public:
        notify_followers(comment, request)


def _send(subject, body, recipient):
    """Send after the commit; a mail server failure is logged, never a reader's 500."""
    try:
        send_mail(subject, body, settings.COMMENTS_XTD_FROM_EMAIL, [recipient])
    except Exception:
        logger.exception("Comment mail to %s failed", recipient)


def confirmation_token(comment) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(comment.pk))


def mute_token(comment) -> str:
    return signing.Signer(salt=MUTE_SALT).sign(str(comment.pk))


def send_confirmation_request(comment, request):
    url = request.build_absolute_uri(
        reverse("comments:confirm", kwargs={"token": confirmation_token(comment)})
    )
    context = {"comment": comment, "article": comment.content_object, "url": url}
    _send(
        gettext("Please confirm your comment"),
        render_to_string("comments/email/confirm.txt", context),
        comment.user_email,
    )


@transaction.atomic
def confirm_comment(*, token: str) -> ReaderComment:
    """Publish (or pass to moderation) the comment behind a confirmation link, once.

    Raises ``signing.SignatureExpired`` past NEWSROOM_COMMENTS_CONFIRM_MAX_AGE,
    ``signing.BadSignature`` for a forged link and ``ReaderComment.DoesNotExist`` for a
    link already used (or a comment since deleted).
    """
    pk = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
        token, max_age=settings.NEWSROOM_COMMENTS_CONFIRM_MAX_AGE
    )
    comment = ReaderComment.norel_objects.select_for_update().get(
        pk=int(pk), awaiting_confirmation=True
    )
    comment.awaiting_confirmation = False
    comment.is_public = not comment.hold_reason and not comment.is_spam
    comment.save(update_fields=["awaiting_confirmation", "is_public"])
    return comment


def mute_thread(*, token: str) -> ReaderComment:
    """Stop reply notifications to the address of the comment behind the token."""
    pk = signing.Signer(salt=MUTE_SALT).unsign(token)
    comment = ReaderComment.objects.get(pk=int(pk))
    ReaderComment.norel_objects.filter(
        content_type_id=comment.content_type_id,
        object_pk=comment.object_pk,
        user_email__iexact=comment.user_email,
    ).update(followup=False)
    return comment


def notify_followers(comment, request):
    """Mail everyone who asked for follow-ups on this article, except the author."""
    followers = (
        ReaderComment.norel_objects.published()
        .filter(content_type_id=comment.content_type_id, object_pk=comment.object_pk, followup=True)
        .exclude(user_email__iexact=comment.user_email)
        .order_by("user_email", "-submit_date")
        .distinct("user_email")
    )
    article = comment.content_object
    article_url = request.build_absolute_uri(article.get_absolute_url() + f"#c{comment.pk}")
    for follower in followers:
        mute_url = request.build_absolute_uri(
            reverse("comments:mute", kwargs={"token": mute_token(follower)})
        )
        context = {
            "follower": follower,
            "comment": comment,
            "article": article,
            "article_url": article_url,
            "mute_url": mute_url,
        }
        _send(
            gettext("New comment on: %(title)s") % {"title": article},
            render_to_string("comments/email/followup.txt", context),
            follower.user_email,
        )


def approve_comments(*, comments, request) -> int:
    """Publish held comments (flagged as approved by the moderator) and notify followers."""
    count = 0
    with transaction.atomic():
        for comment in comments:
            was_public = comment.is_public and not comment.is_removed
            comment.is_spam = comment.awaiting_confirmation = False
            perform_approve(request, comment)  # saves, and flags who approved
            if not was_public:
                transaction.on_commit(partial(notify_followers, comment, request))
            count += 1
    return count


def remove_comments(*, comments, request, spam: bool = False) -> int:
    count = 0
    with transaction.atomic():
        for comment in comments:
            comment.is_spam = comment.is_spam or spam
            perform_delete(request, comment)  # saves, and flags who removed
            count += 1
    return count
