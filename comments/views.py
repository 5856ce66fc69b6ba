"""Posting a comment from the article page, confirming it, muting replies, CSRF failures.

Thin views over comments.services. Every refusal keeps what the reader wrote: the article
page comes back with the form filled in, or a page showing the text to copy or send again.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from articles.models import Article
from articles.views import ArticleDetailView
from comments import services
from comments.forms import CommentForm
from comments.models import ReaderComment
from comments.moderation import comments_open

ARTICLE_CONTENT_TYPE = "articles.article"


def _target_article(data):
    """The published article a POST names, or None (unknown type, bad id, draft, future)."""
    if data.get("content_type") != ARTICLE_CONTENT_TYPE:
        return None
    object_pk = data.get("object_pk", "")
    if not object_pk.isdigit() or len(object_pk) > 18:
        return None
    return Article.objects.published().for_listing().filter(pk=int(object_pk)).first()


def _refused(request, *, title, message, status, article=None, form=None):
    context = {
        "title": title,
        "message": message,
        "article": article,
        "form": form,
        "kept_text": request.POST.get("comment", ""),
        # The language switch leads to the article (or the home page), not to this address.
        "language_switch_path": article.get_absolute_url() if article else reverse("articles:home"),
    }
    return render(request, "comments/refused.html", context, status=status)


def _article_page(request, article, form, status):
    """The article page again, with the reader's form and its errors (at #comment-form)."""
    view = ArticleDetailView()
    view.setup(request, slug=article.slug)
    view.object = article
    # The language switch leads to the article in the other language, not to this address.
    context = view.get_context_data(
        object=article, comment_form=form, language_switch_path=article.get_absolute_url()
    )
    return view.render_to_response(context, status=status)


def _back_to_the_site(request) -> str:
    """Where a GET of the posting address goes: the page it came from when that is one of
    ours, else the home page."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        posting = {reverse("comments:post")}  # the posting address itself: no loop back to it
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                posting.add(reverse("comments:post"))
        if urlsplit(referer).path not in posting:
            return referer
    return reverse("articles:home")


@never_cache
def post_comment(request):
    """Post a comment to an article: back to the form on any error, else to the comment.
    The address of a form returned with an error is this one: opened again (a reload, a new
    tab, the language switch) it leads back to the site instead of a blank 405."""
    if request.method != "POST":
        return redirect(_back_to_the_site(request))
    article = _target_article(request.POST)
    if article is None:
        return _refused(
            request,
            title=_("This article does not take comments"),
            message=_("The article was not found or is not published."),
            status=404,
        )
    form = CommentForm(article, data=request.POST)
    if not form.is_valid() and form.tampered():
        return _refused(
            request,
            title=_("Your comment could not be sent"),
            message=_("The form was changed on its way. Please copy your text and try again."),
            status=400,
            article=article,
        )
    if not comments_open(article):
        form.add_error(None, _("Comments are closed on this article."))
        form.refresh_security_data()
        return _article_page(request, article, form, status=403)
    if not form.is_valid():
        form.refresh_security_data()
        return _article_page(request, article, form, status=400)
    try:
        posted = services.post_comment(form=form, request=request)
    except services.TooManyComments:
        form.add_error(
            None, _("You have sent many comments in a short time. Please wait a few minutes.")
        )
        return _article_page(request, article, form, status=429)
    except services.CommentRefused:
        form.add_error(None, _("Comments are closed on this article."))
        return _article_page(request, article, form, status=403)
    return _after_posting(request, article, posted.comment, duplicate=posted.duplicate)


def _after_posting(request, article, comment, duplicate=False):
    url = article.get_absolute_url()
    if duplicate:
        messages.info(request, _("We had already received this comment."), extra_tags="comments")
    elif comment.awaiting_confirmation:
        messages.info(
            request,
            _("Almost done: we sent you an email. Open the link in it to confirm your comment."),
            extra_tags="comments",
        )
    elif comment.is_public:
        messages.success(request, _("Thank you: your comment is published."), extra_tags="comments")
    else:
        messages.info(
            request,
            _("Thank you: your comment is awaiting moderation and will appear once approved."),
            extra_tags="comments",
        )
    if comment.is_public and not comment.is_removed:
        return redirect(f"{url}#c{comment.pk}")
    return redirect(f"{url}#comment-status")


@never_cache
def confirm(request, token):
    """A confirmation link from the email: it works once and expires."""
    try:
        comment = services.confirm_comment(token=token)
    except signing.SignatureExpired:
        return _refused(
            request,
            title=_("This link has expired"),
            message=_(
                "Confirmation links work for a few days only. Please post your comment again."
            ),
            status=410,
        )
    except (signing.BadSignature, ValueError):
        return _refused(
            request,
            title=_("This link is not valid"),
            message=_("Please check that you opened the whole link from the email."),
            status=400,
        )
    except ReaderComment.DoesNotExist:
        return _refused(
            request,
            title=_("This link was already used"),
            message=_("Your comment was confirmed before; each link works once."),
            status=410,
        )
    article = comment.content_object
    if article is None:
        raise Http404("Comment target is gone")
    return _after_posting(request, article, comment)


@never_cache
def mute(request, token):
    """The unsubscribe link in a follow-up email: no more reply notifications."""
    try:
        comment = services.mute_thread(token=token)
    except (signing.BadSignature, ValueError, ReaderComment.DoesNotExist):
        return _refused(
            request,
            title=_("This link is not valid"),
            message=_("Please check that you opened the whole link from the email."),
            status=400,
        )
    return render(request, "comments/muted.html", {"article": comment.content_object})


def reply(request, cid):
    """The library's reply page: our form on the article page, replying to comment ``cid``.
    Only a published comment has one: a held or removed one is a 404 like a missing one, so
    its number tells no one that it exists, nor under which article."""
    comment = ReaderComment.norel_objects.published().filter(pk=cid).first()
    article = comment.content_object if comment is not None else None
    if not isinstance(article, Article) or not article.is_published():
        raise Http404("No such comment")
    return redirect(f"{article.get_absolute_url()}?reply={comment.pk}#comment-form")


def no_api(request, rest):
    """Comments are posted through ``post_comment`` only."""
    raise Http404("No comment API")


def not_offered(request, **kwargs):
    """A page of the comments library this site does not offer: the site's own 404."""
    raise Http404("Not offered here")


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a clear page (403) that keeps the reader's text to send again."""
    article = _target_article(request.POST) if request.method == "POST" else None
    form = None
    if article is not None and comments_open(article):
        keep = ("name", "email", "comment", "reply_to", "followup")
        form = CommentForm(article, initial={k: request.POST.get(k) for k in keep})
    return _refused(
        request,
        title=_("Your session has expired"),
        message=_(
            "For your security the form could not be accepted as it was. Nothing you wrote is "
            "lost: check it below and send it again."
        ),
        status=403,
        article=article,
        form=form,
    )
