"""The front page in the desk: the draft's blocks as inlines (a block's own page holds its
slots), up and down buttons to reorder them by keyboard, preview, publish, and the history of
published layouts to view, preview and restore. Every save of the draft checks the version its
form was opened at: another editor's save in between is never overwritten."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from articles.models import LIVE_STATUSES, Section
from frontpage import services
from frontpage.models import Block, Layout, Slot
from newsroom.audit import translated_field_labels

REORDER_MEDIA = forms.Media(js=["frontpage/js/reorder.js"], css={"all": ["frontpage/css/desk.css"]})


def move_buttons(obj=None, layout=None):
    """Up and down buttons for a row (frontpage/static/frontpage/js/reorder.js moves it); none
    on a published or past layout's rows, which are read-only."""
    if layout is not None and not layout.is_draft:
        return "—"
    return format_html(
        '<span class="reorder" data-announce="{}">'
        '<button type="button" class="reorder-up" aria-label="{}">↑</button> '
        '<button type="button" class="reorder-down" aria-label="{}">↓</button></span>',
        _("Moved to position %(position)s of %(count)s."),
        _("Move up"),
        _("Move down"),
    )


class AppendedRowsFormSet(forms.BaseInlineFormSet):
    """A row added without a position (its field left at 0, as the "add" link makes it when
    the page's script did not number it) goes after the others, where the editor added it,
    not first."""

    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form.has_changed() or form.instance.pk]
        kept = [form for form in kept if not self._should_delete_form(form)]
        positions = [form.cleaned_data.get("position") or 0 for form in kept]
        last = max(positions, default=0)
        for form in kept:
            if form.instance.pk is None and not form.cleaned_data.get("position"):
                last += 1
                form.cleaned_data["position"] = form.instance.position = last


class VersionCheckedForm(forms.ModelForm):
    """Carries the draft's version from when the form was opened; a save from an older one is
    refused (another editor saved in between) with nothing typed lost."""

    seen_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, label=_("version opened")
    )

    def draft(self) -> Layout:
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.draft().version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "seen_version" in self.data:
            self.draft().check_version(self.data.get("seen_version", ""))
        return cleaned


class LayoutForm(VersionCheckedForm):
    class Meta:
        model = Layout
        fields = ("name",)

    def draft(self):
        return self.instance


class BlockForm(VersionCheckedForm):
    class Meta:
        model = Block
        fields = (
            "kind", "title", "size", "section", "topic", "story_file", "author", "backfill",
            "deduplicate",
        )  # fmt: skip

    def draft(self):
        return self.instance.layout


class LanguageNamedLabels:
    """A translated column's label by its language's name («العنوان (العربية)»), not
    modeltranslation's «العنوان [ar]»: the builder's rows show no language tabs. The form's
    labels name them, for the editable fields, the read-only rows of a published layout and
    the tables' headings alike («العنوان [AR]» there)."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("labels", translated_field_labels(self.model))
        return super().get_formset(request, obj, **kwargs)


class BlockInline(LanguageNamedLabels, TranslationTabularInline):
    model = Block
    formset = AppendedRowsFormSet
    extra = 0
    classes = ("reorderable",)
    fields = (
        "move", "position", "kind", "title", "size", "section", "topic", "story_file", "author",
        "backfill", "deduplicate", "slots_link",
    )  # fmt: skip
    readonly_fields = ("move", "slots_link")
    # Plain selects and the lookup window: select2's clear button fails axe
    # (aria-required-parent) once a value is chosen.
    raw_id_fields = ("topic", "author")

    @admin.display(description=_("move"))
    def move(self, obj):
        return move_buttons(obj, obj.layout if obj is not None and obj.layout_id else None)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "size" and field is not None:  # the model's own minimum, in the
            field.min_value = 1  # browser too (its number box offered 0, then refused it)
            field.widget.attrs["min"] = 1
        return field

    @admin.display(description=_("slots"))
    def slots_link(self, obj):
        if obj is None or obj.pk is None:
            return _("Save first")
        url = reverse("admin:frontpage_block_change", args=[obj.pk])
        count = len(obj.slots.all())
        return format_html('<a href="{}">{} ({})</a>', url, _("Hand-picked slots"), count)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("slots")


class SlotInline(LanguageNamedLabels, TranslationStackedInline):
    model = Slot
    formset = AppendedRowsFormSet
    extra = 0
    classes = ("reorderable",)
    fields = (("move", "position"), "article", "label", "url", ("starts_at", "ends_at"))
    readonly_fields = ("move",)
    raw_id_fields = ("article",)

    @admin.display(description=_("move"))
    def move(self, obj):
        block = obj.block if obj is not None and obj.block_id else None
        return move_buttons(obj, block.layout if block is not None else None)


class DraftOnlyMixin:
    """Only the draft changes; live and past layouts are read-only here."""

    def layout_of(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and not self.layout_of(obj).is_draft:
            return False
        return super().has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        """A read-only layout shows no «version opened» (a hidden field of the form that
        checks stale saves, shown as «Seen version: None»)."""
        fields = super().get_fields(request, obj)
        if obj is not None and not self.layout_of(obj).is_draft:
            fields = [name for name in fields if name != "seen_version"]
        return fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self.layout_of(obj).is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.layout_of(form.instance).mark_saved()  # forms opened before this save are stale


@admin.register(Layout)
class LayoutAdmin(DraftOnlyMixin, admin.ModelAdmin):
    form = LayoutForm
    inlines = (BlockInline,)
    list_display = ("__str__", "section", "status", "published_at", "published_by", "version")
    list_filter = ("status", "section")
    readonly_fields = ("section", "status", "published_at", "published_by", "version")
    change_form_template = "admin/frontpage/layout/change_form.html"
    change_list_template = "admin/frontpage/layout/change_list.html"

    @property
    def media(self):
        return super().media + REORDER_MEDIA

    def layout_of(self, obj):
        return obj

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _function, name, description = actions["delete_selected"]
            actions["delete_selected"] = (LayoutAdmin.delete_drafts, name, description)
        return actions

    @staticmethod
    def delete_drafts(modeladmin, request, queryset):
        """Django's «delete selected», for drafts only: with a published or past layout among
        them it blamed the editor's permissions («حسابك ليس له صلاحية حذف…»); they are kept,
        the record of what readers saw, and the desk says so."""
        from django.contrib.admin.actions import delete_selected

        kept = queryset.exclude(status=Layout.Status.DRAFT)
        if kept.exists():
            modeladmin.message_user(
                request,
                _(
                    "A published or past front page is never deleted: it is the record of "
                    "what readers saw. Only a draft can be deleted; nothing was deleted."
                ),
                messages.ERROR,
            )
            return None
        return delete_selected(modeladmin, request, queryset)

    def changelist_view(self, request, extra_context=None):
        sections = Section.objects.only("pk", "name_ar", "name_en")
        return super().changelist_view(request, {**(extra_context or {}), "sections": sections})

    def has_add_permission(self, request):
        return False  # the draft is opened with "Edit the draft" (made from the live layout)

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("draft/", view(self.draft_view), name="frontpage_layout_draft"),
            path("<int:pk>/publish/", view(self.publish_view), name="frontpage_layout_publish"),
            path("<int:pk>/restore/", view(self.restore_view), name="frontpage_layout_restore"),
            *super().get_urls(),
        ]

    def draft_view(self, request):
        """The home page's draft, or ``?section=<id>``'s (made when there is none)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        section = request.GET.get("section", "")
        section_id = int(section) if section.isdigit() else None
        if section_id is not None and not Section.objects.filter(pk=section_id).exists():
            section_id = None
        draft = services.current_draft(section_id)
        return HttpResponseRedirect(reverse("admin:frontpage_layout_change", args=[draft.pk]))

    def publish_view(self, request, pk):
        if request.method != "POST":  # an address opened by hand: the layout, not a bare 405
            return HttpResponseRedirect(reverse("admin:frontpage_layout_change", args=[pk]))
        draft = get_object_or_404(Layout, pk=pk, status=Layout.Status.DRAFT)
        if not self.has_change_permission(request, draft):
            raise PermissionDenied
        with transaction.atomic():
            try:
                draft.check_version(request.POST.get("seen_version", ""))
            except forms.ValidationError:
                # Not the form's «nothing you typed is lost: it is all below»: nothing was
                # typed here, and the page the editor lands on shows the other save.
                messages.error(
                    request,
                    _(
                        "Another editor saved the draft after you opened it, so nothing was "
                        "published. The page now shows the draft as saved: check it, then "
                        "publish."
                    ),
                )
                return HttpResponseRedirect(reverse("admin:frontpage_layout_change", args=[pk]))
            if services.draft_is_live_already(draft):
                # Pressed twice: two identical entries in the history, readers saw no change.
                messages.info(
                    request,
                    _("The draft is the page readers see already: nothing new was published."),
                )
                return HttpResponseRedirect(reverse("admin:frontpage_layout_change", args=[pk]))
            live = services.publish(draft=draft, user=request.user)
        self.log_change(request, live, _("Published the front page."))
        messages.success(request, _("The front page is published: readers see it now."))
        return HttpResponseRedirect(reverse("admin:frontpage_layout_change", args=[pk]))

    def restore_view(self, request, pk):
        if request.method != "POST":  # an address opened by hand: the layout, not a bare 405
            return HttpResponseRedirect(reverse("admin:frontpage_layout_change", args=[pk]))
        layout = get_object_or_404(Layout, pk=pk)
        if not self.has_change_permission(request):
            raise PermissionDenied
        draft = services.current_draft(layout.section_id)
        if (
            request.POST.get("replace_draft") != "yes"
            and layout.pk != draft.pk
            and services.draft_has_unpublished_changes(draft)
        ):  # the draft's edits would be lost without a word: ask first
            context = {
                **self.admin_site.each_context(request),
                "title": _("Replace the draft?"),
                "opts": self.model._meta,
                "layout": layout,
                "draft": draft,
            }
            return TemplateResponse(request, "admin/frontpage/layout/restore_confirm.html", context)
        draft = services.restore(layout=layout)
        self.log_change(request, draft, _("Restored a published layout into the draft."))
        messages.success(
            request,
            _("The layout is back in the draft: preview it, then publish it."),
        )
        return HttpResponseRedirect(reverse("admin:frontpage_layout_change", args=[draft.pk]))


@admin.register(Block)
class BlockAdmin(DraftOnlyMixin, admin.ModelAdmin):
    form = BlockForm
    inlines = (SlotInline,)
    fields = (
        "layout", "kind", "title", "size", "section", "topic", "story_file", "author",
        "backfill", "deduplicate", "seen_version",
    )  # fmt: skip
    readonly_fields = ("layout",)
    raw_id_fields = ("topic", "author")

    @property
    def media(self):
        return super().media + REORDER_MEDIA

    def layout_of(self, obj):
        return obj.layout

    def get_model_perms(self, request):
        return {}  # reached from its layout's page, not from the desk's index

    def has_add_permission(self, request):
        return False  # added on the layout's page

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        waiting = Slot.objects.filter(block=form.instance, article__isnull=False).exclude(
            article__status__in=LIVE_STATUSES
        )
        for slot in waiting.select_related("article").only("article__title_ar"):
            # Saved, and said: the preview quietly filled its place with another story.
            messages.warning(
                request,
                _("“%(title)s” is not published: its place shows another story until it is.")
                % {"title": slot.article.title_ar},
            )

    def response_change(self, request, obj):
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        return HttpResponseRedirect(reverse("admin:frontpage_layout_change", args=[obj.layout_id]))
