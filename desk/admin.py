"""The desk together, in the article admin: edit locks, the stale-save refusal, internal notes,
assignments, "my articles" / "waiting for me", and the views-per-day chart on the form.

The article admin is assembled here, once, and registered once (docs/architecture.md): the
base from ``articles.admin.ArticleAdmin``, the desk's own parts in the class below, accounts'
publish record (``accounts.article_admin.PublishRecordMixin``) and live's panel
(``live.desk.ARTICLE_FORM_TEMPLATE``, which the desk's form template extends). The parts are
imported from modules that register nothing, and no app unregisters or replaces the result, so
the order of INSTALLED_APPS changes nothing. The sections' admin is built the same way.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.article_admin import PublishRecordMixin
from articles import admin as articles_admin
from articles.admin import DirAutoMixin
from articles.models import Article, Section, article_notices
from desk import locks
from desk.dashboard import daily_chart, section_daily_chart
from desk.models import Assignment, Note
from live.desk import ARTICLE_FORM_TEMPLATE as LIVE_ARTICLE_FORM_TEMPLATE

CHANGE_ARTICLE = "articles.change_article"


class DeskPermissionMixin:
    """Whoever may edit articles may write notes and assign (no separate grants needed)."""

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm(CHANGE_ARTICLE)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(CHANGE_ARTICLE) or request.user.has_perm(
            "articles.view_article"
        )


class NoteInline(DeskPermissionMixin, DirAutoMixin, admin.TabularInline):
    """Notes are appended, never rewritten: existing ones are read-only for everyone."""

    model = Note
    extra = 1
    fields = ("text", "written_by", "written_at")
    readonly_fields = ("written_by", "written_at")
    verbose_name_plural = gettext_lazy("internal notes (never shown to readers)")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("by"))
    def written_by(self, note):
        return locks.display_name(note.author) if note.pk else "—"

    @admin.display(description=gettext_lazy("at"))
    def written_at(self, note):
        return locks.when(note.created_at) if note.pk else "—"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "text" and field is not None:
            # a table cell has no <label>: the column's name, for screen readers (WCAG 4.1.2)
            field.widget.attrs.update(rows=2, **{"aria-label": str(field.label)})
        return field


class AssignmentInline(DeskPermissionMixin, DirAutoMixin, admin.StackedInline):
    model = Assignment
    fields = ("writer", "editor", "due_at")
    max_num = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(CHANGE_ARTICLE)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("writer", "editor"):
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OnMyDeskFilter(admin.SimpleListFilter):
    """ "My articles": written, started or edited by me. "Waiting for me": my drafts to
    write, and the articles in review that I am to edit."""

    title = gettext_lazy("on my desk")
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [("mine", _("My articles")), ("waiting", _("Waiting for me"))]

    def queryset(self, request, queryset):
        user = request.user
        if self.value() == "mine":
            return queryset.filter(
                Q(created_by=user) | Q(assignment__writer=user) | Q(assignment__editor=user)
            )
        if self.value() == "waiting":
            return queryset.filter(
                Q(assignment__writer=user, status=Article.Status.DRAFT)
                | Q(assignment__editor=user, status=Article.Status.REVIEW)
            )
        return queryset


Base = articles_admin.ArticleAdmin


@admin.register(Article)
class ArticleAdmin(PublishRecordMixin, Base):
    """The article admin: articles' base, the desk's locks, notes and assignments, accounts'
    publish record and live's panel, put together here and nowhere else."""

    change_form_template = "desk/article_change_form.html"  # extends live's
    add_form_template = LIVE_ARTICLE_FORM_TEMPLATE  # (the panel is for saved articles only)
    list_display = (*Base.list_display, "desk_column")
    list_filter = (OnMyDeskFilter, *Base.list_filter)
    list_select_related = (
        *Base.list_select_related,
        "edit_lock__user",
        "assignment__writer",
        "assignment__editor",
    )
    inlines = (*Base.inlines, AssignmentInline, NoteInline)  # accounts' comes after

    # The form: the version it was opened at, and the refusal of a stale save

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or obj.pk is None:
            return base
        model_admin = self

        class DeskArticleForm(base):
            desk_version = forms.CharField(widget=forms.HiddenInput, required=False)
            desk_overwrite = forms.BooleanField(
                required=False, label=gettext_lazy("Save my version anyway, over the other one")
            )

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.desk_conflict = None
                self.fields["desk_version"].initial = locks.version_token(self.instance)

            @property
            def changed_data(self):  # the admin history lists article fields only
                return [name for name in super().changed_data if not name.startswith("desk_")]

            def clean(self):
                cleaned = super().clean()
                model_admin.check_concurrency(request, self)
                return cleaned

        return DeskArticleForm

    def check_concurrency(self, request, form):
        """Refuse a save made from a version older than the row's, or while another editor
        holds the lock; nothing typed is lost (the form comes back as sent)."""
        if "desk_version" not in form.data or form.cleaned_data.get("desk_overwrite"):
            return  # a version being restored (no token), or a deliberate overwrite
        taking_over = "_takeover" in form.data  # the lock's button, on a refused save
        article_id = form.instance.pk
        errors = []
        token = form.data.get("desk_version", "")
        if locks.is_stale(article_id=article_id, token=token):
            change = locks.last_change(article_id)
            errors.append(
                _(
                    "%(name)s saved this article at %(time)s, after you opened it. Your "
                    "changes were not saved, and nothing you typed is lost: it is all below. "
                    "Compare the two versions, then save yours over theirs, or reload to "
                    "start from theirs."
                )
                % {"name": change.name, "time": locks.when(change.at)}
            )
            seen = locks.version_seen(article_id, token)
            form.desk_conflict = {
                "kind": "saved",
                "name": change.name,
                "at": locks.when(change.at),
            }
            if seen and change.history_id and self.has_view_history_permission(request):
                form.desk_conflict["compare_url"] = "{}?a={}&b={}".format(
                    reverse("admin:articles_article_compare", args=[article_id]),
                    seen,
                    change.history_id,
                )
        lock = locks.current(article_id=article_id)
        if lock is not None and lock.user_id != request.user.pk and not taking_over:
            name, since = locks.display_name(lock.user), locks.when(lock.since)
            if lock.taken_from_id == request.user.pk:
                message = _(
                    "%(name)s took over editing this article at %(time)s. Your changes were "
                    "not saved, and nothing you typed is lost: it is all below."
                )
            else:
                message = _(
                    "%(name)s is editing this article now (since %(time)s). Your changes "
                    "were not saved, and nothing you typed is lost: it is all below."
                )
            errors.append(message % {"name": name, "time": since})
            form.desk_conflict = form.desk_conflict or {"kind": "locked", "name": name, "at": since}
        if errors:
            raise ValidationError(errors)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            return
        if form.cleaned_data.get("desk_overwrite"):
            previous = locks.take_over(article_id=obj.pk, user=request.user)
            self.log_change(
                request,
                obj,
                _("Saved over a newer version, after a warning.")
                + (
                    " "
                    + _("Took over editing from %(name)s.")
                    % {"name": locks.display_name(previous.user)}
                    if previous
                    else ""
                ),
            )
        elif "_takeover" in request.POST:
            previous = locks.take_over(article_id=obj.pk, user=request.user)
            if previous is not None:
                took = _("Took over editing from %(name)s.")
                self.log_change(request, obj, took % {"name": locks.display_name(previous.user)})
        else:
            locks.acquire(article_id=obj.pk, user=request.user)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if isinstance(instance, Note) and instance.author_id is None:
                instance.author = request.user
        super().save_formset(request, form, formset, change)

    # Locks on the form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            if request.method == "GET" and self.has_change_permission(request, obj):
                lock = locks.acquire(article_id=obj.pk, user=request.user, opening=True)
            else:
                lock = locks.current(article_id=obj.pk)
            if lock is not None and lock.user_id != request.user.pk:
                extra_context["desk_lock"] = {
                    "name": locks.display_name(lock.user),
                    "since": locks.when(lock.since),
                    "taken": lock.taken_from_id == request.user.pk,
                }
            if lock is not None and lock.user_id == request.user.pk:
                extra_context["desk_lock_token"] = lock.token
            extra_context["desk_urls"] = {
                name: reverse(f"admin:articles_article_desk_{name}", args=[obj.pk])
                for name in ("heartbeat", "takeover", "release")
            }
            if request.method == "GET":
                for _receiver, notice in article_notices.send(sender=Article, article=obj):
                    if notice:
                        messages.warning(request, notice)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        views = (
            ("heartbeat", self.heartbeat_view),
            ("takeover", self.takeover_view),
            ("release", self.release_view),
        )
        return [
            *(
                path(
                    f"<path:object_id>/desk/{name}/",
                    self.admin_site.admin_view(view),
                    name=f"articles_article_desk_{name}",
                )
                for name, view in views
            ),
            *super().get_urls(),
        ]

    def _editable(self, request, object_id):
        if request.method != "POST":
            return None, HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj, None

    def heartbeat_view(self, request, object_id):
        """The form's heartbeat (every 30 s): keeps our lock alive, or says who has it; and
        says when someone saved the article since this form was opened."""
        obj, refused = self._editable(request, object_id)
        if refused:
            return refused
        notices = []
        lock = locks.current(article_id=obj.pk)
        held = lock is None or lock.user_id == request.user.pk
        answer = {"held": held}
        if held:
            page_token = request.POST.get("token", "")
            answer["token"] = locks.acquire(
                article_id=obj.pk, user=request.user, token=page_token
            ).token
        else:
            name, since = locks.display_name(lock.user), locks.when(lock.since)
            if lock.taken_from_id == request.user.pk:
                notices.append(
                    _("%(name)s took over editing this article at %(time)s.")
                    % {"name": name, "time": since}
                )
            else:
                notices.append(
                    _("Being edited now by %(name)s, since %(time)s.")
                    % {"name": name, "time": since}
                )
        token = request.POST.get("version", "")
        with transaction.atomic():
            stale = bool(token) and locks.is_stale(article_id=obj.pk, token=token)
        if stale:
            change = locks.last_change(obj.pk)
            notices.append(
                _(
                    "%(name)s saved a newer version at %(time)s: saving this form will be "
                    "refused, and what you typed kept."
                )
                % {"name": change.name, "time": locks.when(change.at)}
            )
        return JsonResponse({**answer, "stale": stale, "message": " ".join(notices)})

    def takeover_view(self, request, object_id):
        obj, refused = self._editable(request, object_id)
        if refused:
            return refused
        previous = locks.take_over(article_id=obj.pk, user=request.user)
        if previous is not None:
            name = locks.display_name(previous.user)
            self.log_change(request, obj, _("Took over editing from %(name)s.") % {"name": name})
            messages.success(
                request,
                _("You are editing this article now; %(name)s will be told.") % {"name": name},
            )
        return redirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def release_view(self, request, object_id):
        obj, refused = self._editable(request, object_id)
        if refused:
            return refused
        locks.release(article_id=obj.pk, user=request.user, token=request.POST.get("token", ""))
        return HttpResponse(status=204)

    def response_change(self, request, obj):
        """Saved and leaving the form (not "save and continue"): the lock ends now. Taken
        over and saved: the editor stays on the form, holding the lock."""
        if "_takeover" in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        response = super().response_change(request, obj)
        if not any(name in request.POST for name in ("_continue", "_addanother", "_saveasnew")):
            locks.release(article_id=obj.pk, user=request.user)
        return response

    # The list and the form's figures

    def _move(self, request, queryset, status):
        # The list joins the optional lock and assignment rows; the bulk workflow locks the
        # selected articles FOR UPDATE, which PostgreSQL refuses across an outer join.
        super()._move(request, queryset.select_related(None), status)

    @admin.display(description=gettext_lazy("on the desk"))
    def desk_column(self, obj):
        parts = []
        try:
            lock = obj.edit_lock
        except ObjectDoesNotExist:
            lock = None
        if lock is not None and lock.is_live:
            parts.append(
                format_html(
                    '<span class="desk-lock-badge">{}</span>',
                    _("Being edited now by %(name)s, since %(time)s.")
                    % {"name": locks.display_name(lock.user), "time": locks.when(lock.since)},
                )
            )
        try:
            assignment = obj.assignment
        except ObjectDoesNotExist:
            assignment = None
        if assignment is not None:
            people = []
            if assignment.writer_id:
                people.append(
                    _("writer: %(name)s") % {"name": locks.display_name(assignment.writer)}
                )
            if assignment.editor_id:
                people.append(
                    _("editor: %(name)s") % {"name": locks.display_name(assignment.editor)}
                )
            if assignment.due_at:
                people.append(_("due %(time)s") % {"time": locks.when(assignment.due_at)})
            if people:
                parts.append(format_html("<span>{}</span>", "، ".join(people)))
        return (
            format_html("{}", format_html(" ".join(["{}"] * len(parts)), *parts)) if parts else "—"
        )

    @admin.display(description=gettext_lazy("views per day (last 30 days)"))
    def views_by_day(self, obj):
        if not obj.pk:
            return "-"
        return daily_chart(obj)


@admin.register(Section)
class SectionAdmin(articles_admin.SectionAdmin):
    """A section's form shows its articles' views per day (30 days), as a chart."""

    readonly_fields = (*articles_admin.SectionAdmin.readonly_fields, "views_by_day")

    @admin.display(description=gettext_lazy("views per day (last 30 days)"))
    def views_by_day(self, obj):
        if not obj.pk:
            return "-"
        return section_daily_chart(obj)
