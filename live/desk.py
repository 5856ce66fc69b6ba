"""The live panel on a live article's admin page, and the desk's actions behind it.

Posting is one click: the panel's form posts to ``post_entry_view``. With JavaScript
(static/js/live_desk.js) the entry is sent in the background and added to the list, so an
editor keeps typing the next one; several editors post at once, each entry its own row. A
refusal (empty, too long, not an image) comes back with the Arabic message and the text kept:
beside the form with JavaScript, on a page of its own without.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from live import roles, services
from live.forms import EntryForm
from live.models import LiveCoverage, LiveEntry

DESK_ENTRIES = 100

# live's part of the article admin that desk/admin.py assembles: the article's page with the
# live panel (desk/article_change_form.html extends it; the add page uses it as it is).
ARTICLE_FORM_TEMPLATE = "live/article_change_form.html"


def can_post(request, article) -> bool:
    """Editors post (live/roles.py): an entry is published the moment it is posted."""
    return roles.can_post(request.user)


def article_desk_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk]) + "#live-desk"


def wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def desk_panel_context(request, article, form=None) -> dict:
    coverage = LiveCoverage.objects.filter(article=article).first()
    entries = []
    if coverage is not None:
        entries = list(
            coverage.entries.select_related("author", "posted_by").order_by("-id")[:DESK_ENTRIES]
        )
    return {
        "article": article,
        "coverage": coverage,
        "entries": entries,
        "form": form or EntryForm(),
        "can_manage": roles.can_manage(request.user),
        "can_post": can_post(request, article),
        "is_published": article.is_published(),
    }


def posted(view):
    """The desk's live actions come by POST (their buttons); the address opened by hand (a
    bookmark, signing in again) leads to the article's live desk instead of a blank 405."""

    @wraps(view)
    def wrapped(request, article_id=None, entry_id=None):
        if request.method in ("GET", "HEAD"):
            if entry_id is not None:
                article = get_object_or_404(LiveEntry, pk=entry_id).coverage.article
            else:
                article = get_object_or_404(Article, pk=article_id)
            return HttpResponseRedirect(article_desk_url(article))
        ids = {"entry_id": entry_id} if entry_id is not None else {"article_id": article_id}
        return require_POST(view)(request, **ids)

    return wrapped


def _article(request, article_id, *, manage=False):
    article = get_object_or_404(Article, pk=article_id)
    allowed = roles.can_manage(request.user) if manage else can_post(request, article)
    if not allowed:
        raise PermissionDenied
    return article


@posted
def start_view(request, article_id):
    article = _article(request, article_id, manage=True)
    services.start_coverage(article=article, user=request.user)
    messages.success(request, _("Live coverage started."))
    return HttpResponseRedirect(article_desk_url(article))


@posted
def end_view(request, article_id):
    article = _article(request, article_id, manage=True)
    coverage = get_object_or_404(LiveCoverage, article=article)
    services.end_coverage(coverage=coverage)
    messages.success(request, _("Live coverage ended."))
    return HttpResponseRedirect(article_desk_url(article))


@posted
def post_entry_view(request, article_id):
    article = _article(request, article_id)
    coverage = LiveCoverage.objects.filter(article=article).first()
    form = EntryForm(request.POST, request.FILES, kept_upload_user=request.user)
    entry = None
    if coverage is None:
        form.add_error(None, _("This article is not live: start its live coverage first."))
    elif form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.post_entry(
                coverage=coverage,
                body=data["body"],
                user=request.user,
                author=data["author"],
                image=data["image"],
                image_alt=data["image_alt"],
                image_credit=data["image_credit"],
                is_breaking=data["is_breaking"],
                is_pinned=data["is_pinned"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    if entry is not None:
        form.forget_kept_uploads()
        if wants_json(request):
            row = render_to_string("live/desk_entry.html", {"entry": entry}, request=request)
            return JsonResponse({"ok": True, "id": entry.pk, "html": row, "message": _("Posted.")})
        messages.success(request, _("Entry posted."))
        return HttpResponseRedirect(article_desk_url(article))
    if wants_json(request):
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    form.keep_uploads()  # a page of its own: the file input comes back empty
    context = {
        **admin.site.each_context(request),
        **desk_panel_context(request, article, form),
        "title": _("Post an entry"),
        "back_url": article_desk_url(article),
    }
    return TemplateResponse(request, "live/desk_post.html", context, status=400)


def _entry(request, entry_id) -> LiveEntry:
    entry = get_object_or_404(LiveEntry.objects.select_related("coverage__article"), pk=entry_id)
    if not can_post(request, entry.coverage.article):
        raise PermissionDenied
    return entry


@posted
def remove_view(request, entry_id):
    entry = services.remove_entry(entry=_entry(request, entry_id))
    messages.success(request, _("Entry removed: readers no longer see it; the desk keeps it."))
    return HttpResponseRedirect(article_desk_url(entry.coverage.article))


@posted
def restore_view(request, entry_id):
    entry = services.restore_entry(entry=_entry(request, entry_id))
    messages.success(request, _("Entry restored."))
    return HttpResponseRedirect(article_desk_url(entry.coverage.article))
