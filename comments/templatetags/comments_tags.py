from django import template
from django.conf import settings
from django.utils.translation import ngettext

from articles import dates
from comments.forms import CommentForm
from comments.models import ReaderComment, max_thread_level
from comments.moderation import comments_open

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_block(context, article):
    """Everything the comment section shows, in one query whatever the number of comments.

    The published comments of ``article`` in thread order (newest or oldest thread first,
    NEWSROOM_COMMENTS_ORDER), the form (the reader's bound form after an error, else a new
    one, replying to ``?reply=<id>`` when that comment is here and may take replies).
    """
    request = context.get("request")
    order = ("thread_id", "order")
    if settings.NEWSROOM_COMMENTS_ORDER != "oldest":
        order = ("-thread_id", "order")
    comments = list(
        ReaderComment.norel_objects.for_object(article)
        .published()
        .order_by(*order)
        .only("user_name", "comment", "submit_date", "level", "parent_id", "thread_id")
    )
    by_id = {comment.pk: comment for comment in comments}
    max_level = max_thread_level(article)
    is_open = comments_open(article)
    form = context.get("comment_form")
    if form is None and is_open:
        reply = request.GET.get("reply", "") if request is not None else ""
        parent = by_id.get(int(reply)) if reply.isdigit() and len(reply) < 19 else None
        initial = {"reply_to": parent.pk} if parent and parent.level < max_level else {}
        form = CommentForm(article, initial=initial)
    replying_to = None
    if form is not None:
        value = str(form["reply_to"].value() or "")
        replying_to = by_id.get(int(value)) if value.isdigit() and len(value) < 19 else None
    return {
        "comments": comments,
        "count": len(comments),
        "form": form,
        "open": is_open,
        "max_level": max_level,
        "replying_to": replying_to,
    }


@register.simple_tag
def comment_count_label(count):
    """«3 تعليقات», with Arabic plural forms and the site's digits."""
    count = count or 0
    return ngettext("%(count)s comment", "%(count)s comments", count) % {
        "count": dates.local_digits(count)
    }
