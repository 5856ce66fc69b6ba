import time
from types import SimpleNamespace

from django import template
from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.translation import get_language, ngettext

from articles import dates
from articles.compiled import STAND_IN_TEXT, compiled
from caching import tags as tag
from caching.fragments import cached_fragment, note_drawn
from caching.templatetags.pagecache_tags import with_csrf_token
from comments.forms import CommentForm
from comments.models import ReaderComment, max_thread_level
from comments.moderation import comments_open

register = template.Library()


def _published_comments(article):
    return ReaderComment.norel_objects.for_object(article).published()


def _comment_in_thread(article, value):
    """The published comment ``value`` (an id from the query string or the form) or None."""
    value = str(value or "")
    if not (value.isdigit() and len(value) < 19 and int(value) > 0):
        return None
    return _published_comments(article).filter(pk=int(value)).only("user_name", "level").first()


def _listed_comments(article) -> list:
    """The article's published comments in thread order, their SQL compiled once per thread
    and order (articles/compiled.py): ~1 ms of CPU less on every list rendered."""
    order = ("thread_id", "order")
    if settings.NEWSROOM_COMMENTS_ORDER != "oldest":
        order = ("-thread_id", "order")

    def build(object_pk):
        target = SimpleNamespace(_meta=article._meta, pk=object_pk)  # what for_object reads
        return (
            _published_comments(target)
            .order_by(*order)
            .only("user_name", "comment", "submit_date", "level", "parent_id", "thread_id")
        )

    key = (order, article._meta.label_lower, settings.SITE_ID)
    query = compiled("comment-list", key, ReaderComment, build, object_pk=STAND_IN_TEXT)
    return query.instances(object_pk=str(article.pk))


def _render_list(article, is_open):
    comments = _listed_comments(article)
    context = {"comments": comments, "open": is_open, "max_level": max_thread_level(article)}
    return render_to_string("comments/comment_list.html", context), {tag.comments(article.pk)}


# The blank form is the same for every article but for its signed fields: it is rendered once
# per language with these in their place, and each request fills in its article's own.
SIGNED_FIELDS = ("content_type", "object_pk", "timestamp", "security_hash")
SIGNED_SLOT = "signed-field-{}"


_blank_forms: dict[tuple, str] = {}


@receiver(setting_changed)
def _forget_blank_forms(**kwargs):
    """A setting the form is made of may have changed (its length limit, the languages, a
    test's override): the next request renders it again."""
    _blank_forms.clear()


def _blank_form(request, article) -> str:
    """The blank form's HTML with slots for the signed fields and the CSRF token, rendered
    once per process, language and script prefix: it is made of code (the form class, its
    template, the translations, the comment URL) and of nothing stored, so it is kept as the
    compiled templates are, whether fragments are kept or not (the cold render too)."""
    key = (get_language(), get_script_prefix())
    html = _blank_forms.get(key)
    if html is None:
        form = CommentForm(article)
        for name in SIGNED_FIELDS:
            form.initial[name] = SIGNED_SLOT.format(name)
        context = {"form": form, "replying_to": None, "csrf_slot": True}
        html = _blank_forms[key] = render_to_string("comments/form.html", context, request=request)
    return html


def signed_fields(article) -> dict[str, str]:
    """The comment form's signed fields for ``article`` at this second: django-comments' own
    ``generate_security_data``, without building the form's fields."""
    form = CommentForm.__new__(CommentForm)  # the signature needs the target only
    form.target_object = article
    return form.generate_security_data()


def with_signed_fields(html: str, fields: dict[str, str]) -> str:
    """The kept blank form's HTML with the signed fields (``signed_fields``) in their slots."""
    for name, value in fields.items():
        html = html.replace(SIGNED_SLOT.format(name), escape(value), 1)
    return html


FORM_DRAWER = "comment-form"
# How old a kept answer's form signature may be before a hit signs it again: as old as a
# cached page's form could always be (NEWSROOM_PAGE_CACHE_SECONDS's default), and far from
# the two hours after which a form is refused.
SIGNATURE_KEPT_SECONDS = 600


def draw_blank_form(request, payload) -> str:
    """The comment form of an answer the page cache keeps (caching/fragments.py): the kept
    blank form with the fields it was signed with, while that signature is younger than
    ``SIGNATURE_KEPT_SECONDS``, else signed again now for its article; with the reader's
    CSRF token when the page needs one."""
    blank, label, pk, fields = payload
    if time.time() - int(fields["timestamp"]) >= SIGNATURE_KEPT_SECONDS:
        # The signature needs the target's type and key only.
        target = SimpleNamespace(_meta=apps.get_model(label)._meta, _get_pk_val=lambda: pk)
        fields = signed_fields(target)
    return with_csrf_token(request, with_signed_fields(blank, fields))


@register.simple_tag(takes_context=True)
def comment_block(context, article):
    """The comment section of an article page: the published comments in thread order
    (newest or oldest thread first, NEWSROOM_COMMENTS_ORDER) and the form.

    The list is the same for every reader and kept as a fragment until a comment is approved,
    edited or removed (tag ``comments(id)``), in one query whatever the number of comments.
    The form is the reader's bound form after an error, else a new one, replying to
    ``?reply=<id>`` when that comment is here and may take replies. The blank form is kept
    once per process and language, the same for every article, and gets the article's
    signed fields (target, timestamp, security hash) and the reader's CSRF token (when the
    page needs one: see caching/csrf.py) on every request.
    """
    request = context.get("request")
    is_open = comments_open(article)
    language = get_language()
    listing = cached_fragment(
        f"comment-list:{article.pk}:{language}:{int(is_open)}",
        lambda: _render_list(article, is_open),
        keep=article.is_published(),
    )
    form = context.get("comment_form")
    reply = request.GET.get("reply", "") if request is not None else ""
    max_level = max_thread_level(article)
    form_html = None
    if form is None and is_open:
        parent = _comment_in_thread(article, reply) if reply else None
        if parent is not None and parent.level < max_level:
            form = CommentForm(article, initial={"reply_to": parent.pk})
        elif request is not None:
            blank = _blank_form(request, article)
            fields = signed_fields(article)
            form_html = with_csrf_token(request, with_signed_fields(blank, fields))
            # A kept answer's form is signed again when it gets old (caching/fragments.py).
            payload = (blank, article._meta.label, article.pk, fields)
            form_html = note_drawn(FORM_DRAWER, payload, form_html)
        else:
            form = CommentForm(article)
    replying_to = None
    if form is not None:
        replying_to = _comment_in_thread(article, form["reply_to"].value())
    return {
        "list_html": listing.html,
        "form": form,
        "form_html": form_html,
        "open": is_open,
        "replying_to": replying_to,
    }


@register.simple_tag
def comment_count_label(count):
    """«3 تعليقات», with Arabic plural forms and the site's digits."""
    count = count or 0
    return ngettext("%(count)s comment", "%(count)s comments", count) % {
        "count": dates.local_digits(count)
    }
