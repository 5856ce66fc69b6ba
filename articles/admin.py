"""The editorial desk's base: the admin of the content in Arabic, right to left, for writers
and editors; ``ArticleAdmin`` and ``SectionAdmin`` here are the bases that desk/admin.py
assembles with the other apps' parts and registers, once (docs/architecture.md).

Who may do what is decided here on the server (has_*_permission, the status choices, the
change view refusing a forged status with 403) and in articles.services, which records every
status change and enforces the embargo.
"""

import difflib
import re
from datetime import timedelta
from html import unescape as html_unescape

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, F, Prefetch, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_prose_editor.widgets import AdminProseEditorWidget
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.translator import translator
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from articles import dates, services
from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    MediaImage,
    Section,
    StatusChange,
    StoryFile,
    StoryFileEntry,
    Topic,
    article_relations,
    topic_key,
)
from articles.text import ARABIC_LETTER, variants_pattern
from newsroom.audit import field_label, translated_field_labels
from uploads.kept import KeepUploadsAdminMixin

admin.site.index_title = _("Editorial desk")

# What the rich-text editor offers; articles.html.sanitize_html allows the same on save.
PROSE_EDITOR_CONFIG = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Underline": True,
        "Strike": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HorizontalRule": True,
        "HardBreak": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
        "Figure": True,
        "Caption": True,
        "Image": True,
        "History": True,
    }
}
RICH_TEXT_FIELDS = {"body", "body_ar", "body_en"}
LEAD_FIELDS, LEAD_MAX_CHARS = {"lead", "lead_ar", "lead_en"}, 3000


class NoLinkRowsOnDeleteMixin:
    """The delete page lists what goes with the object, but not the rows Django makes to
    link two models (an article to its topics): they read «Article-topic علاقات:
    Article_topics object (11)», English code names in the Arabic desk, for rows nobody
    made or can see; nor a model's bookkeeping (``listed_on_delete = False``: edit locks,
    status changes, view counts), which read «قفل تحرير: 1: admin». They are still
    deleted with the object."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [
            model._meta for model in apps.get_models(include_auto_created=True)
            if model._meta.auto_created or not getattr(model, "listed_on_delete", True)
        ]  # fmt: skip
        prefixes = tuple(f"{capfirst(meta.verbose_name)}: " for meta in links)
        plurals = {str(meta.verbose_name_plural) for meta in links}

        def kept(items):
            return [
                kept(item) if isinstance(item, list) else item
                for item in items
                if isinstance(item, list) or not str(item).startswith(prefixes)
            ]

        counts = {name: n for name, n in counts.items() if str(name) not in plurals}
        return kept(deleted), counts, perms_needed, protected


class SpellingVariantsSearchMixin:
    """The list's search finds Arabic words in any spelling: «سياسه» finds «سياسة», «اخبار»
    finds «أخبار» (articles and topics keep a folded column; these lists are small enough
    to match with a regular expression on ``search_fields``)."""

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if not term or not ARABIC_LETTER.search(term):
            return found, may_have_duplicates
        pattern = variants_pattern(term)
        matches = models.Q()
        for name in self.get_search_fields(request):
            matches |= models.Q(**{f"{name.lstrip('^=@')}__iregex": pattern})
        return found | queryset.filter(matches), may_have_duplicates


class DirAutoMixin:
    """Every text input and textarea gets dir="auto": an Arabic title typed on an English
    screen reads right to left, a Latin name on an Arabic screen left to right."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(field, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget = widget.widget
        if isinstance(widget, forms.MultiWidget):  # date and time: digits, left to right
            for part, name in zip(widget.widgets, (_("Date"), _("Time")), strict=False):
                part.attrs.setdefault("dir", "ltr")
                part.attrs.setdefault("aria-label", f"{field.label}: {name}")
        elif isinstance(widget, forms.TextInput | forms.Textarea):
            widget.attrs.setdefault("dir", "auto")
        elif isinstance(widget, forms.URLInput):  # an address reads left to right
            widget.attrs.setdefault("dir", "ltr")
        return field


def thumbnail_html(renditions, alt=""):
    if not renditions:
        return "—"
    from django.conf import settings

    small = renditions[0]
    return format_html(
        '<img src="{}{}" alt="{}" width="80" height="{}" loading="lazy" class="desk-thumb">',
        settings.MEDIA_URL,
        small["jpg"],
        alt,
        round(80 * small["height"] / small["width"]),
    )


class SectionAdmin(SpellingVariantsSearchMixin, DirAutoMixin, TabbedTranslationAdmin):
    """The base of the sections' admin (desk/admin.py adds the chart and registers it)."""

    list_display = ("name", "slug", "order", "in_navigation")
    list_editable = ("order", "in_navigation")
    list_filter = ("in_navigation",)
    prepopulated_fields = {"slug": ("name_ar",)}
    search_fields = ("name_ar", "name_en")


@admin.register(Author)
class AuthorAdmin(KeepUploadsAdminMixin, DirAutoMixin, TabbedTranslationAdmin):
    list_display = ("name", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("name_ar", "name_en")
    prepopulated_fields = {"slug": ("name_ar",)}


@admin.register(Topic)
class TopicAdmin(
    NoLinkRowsOnDeleteMixin, KeepUploadsAdminMixin, DirAutoMixin, TabbedTranslationAdmin
):
    """Topics, with their article counts; near-duplicates («الأسد», «الاسد», «الأَسد») are one
    topic by construction, and older duplicates can be merged (the removed address answers 301)."""

    list_display = ("name", "slug", "article_count")
    search_fields = ("name_ar", "name_en")
    prepopulated_fields = {"slug": ("name_ar",)}
    fields = ("name", "slug", "description", "image")
    actions = ("merge_selected",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total

    def get_search_results(self, request, queryset, search_term):
        """The autocomplete finds «الأسد» whether the editor types «الاسد», «الأسد» or «الأَسد»."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = topic_key(search_term)
        if key:
            found |= queryset.filter(name_key__contains=key)
        return found, may_have_duplicates

    @admin.action(description=_("Merge the selected topics into one"))
    def merge_selected(self, request, queryset):
        """A confirmation page first (a merge deletes topics and cannot be undone): it lists
        the topics with their articles and lets the editor choose the one kept, the one with
        most articles chosen; "post" from that page merges."""
        topics = sorted(queryset, key=lambda topic: (-topic.article_total, topic.pk))
        if len(topics) < 2:
            self.message_user(request, _("Select at least two topics to merge."), messages.WARNING)
            return None
        if request.POST.get("post") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Merge topics"),
                "opts": self.model._meta,
                "topics": topics,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            template = "admin/articles/topic/merge_confirmation.html"
            return TemplateResponse(request, template, context)
        chosen = request.POST.get("kept", "")
        kept = next((topic for topic in topics if str(topic.pk) == chosen), None)
        if kept is None:
            self.message_user(
                request, _("Choose the topic to keep, then merge again."), messages.ERROR
            )
            return None
        merged = [topic for topic in topics if topic.pk != kept.pk]
        names = "، ".join(f"«{topic.name}»" for topic in merged)
        count = services.merge_topics(kept=kept, merged=merged)
        # the kept topic's history says what was merged into it (it said it had none)
        self.log_change(request, kept, _("Merged into it: %(names)s.") % {"names": names})
        self.message_user(
            request,
            ngettext(
                "%(count)d topic merged into “%(kept)s”; its address now leads there.",
                "%(count)d topics merged into “%(kept)s”; their addresses now lead there.",
                count,
            )
            % {"count": count, "kept": kept.name},
            messages.SUCCESS,
        )
        return None


class NamedDuplicatesFormSet(forms.BaseInlineFormSet):
    """Django names a row repeated against a unique constraint by the field's code name
    ("article", "author"), in English inside the Arabic sentence; this names it as the form
    does, in the desk's language."""

    def get_unique_error_message(self, unique_check):
        names = [
            str(self.model._meta.get_field(name).verbose_name)
            for name in unique_check
            if name != self.fk.name
        ]
        return super(forms.BaseInlineFormSet, self).get_unique_error_message(names)


class StoryFileEntryInline(admin.TabularInline):
    """The file's articles: type a position number to reorder (1 comes first)."""

    model = StoryFileEntry
    formset = NamedDuplicatesFormSet
    extra = 1
    autocomplete_fields = ("article",)
    fields = ("position", "article")
    ordering = StoryFileEntry.READERS_ORDER  # as on the file's page


@admin.register(StoryFile)
class StoryFileAdmin(SpellingVariantsSearchMixin, DirAutoMixin, TabbedTranslationAdmin):
    list_display = ("title", "slug", "article_count", "created_at")
    search_fields = ("title_ar", "title_en")
    prepopulated_fields = {"slug": ("title_ar",)}
    fields = ("title", "slug", "description")
    inlines = (StoryFileEntryInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("entries"))

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


@admin.register(MediaImage)
class MediaImageAdmin(KeepUploadsAdminMixin, DirAutoMixin, TabbedTranslationAdmin):
    list_display = ("thumbnail", "alt_text", "caption", "credit", "address", "created_at")
    search_fields = ("alt_text_ar", "alt_text_en", "caption_ar", "caption_en", "credit")
    readonly_fields = ("preview", "address", "focal_picker")
    fields = (
        "image", "preview", "address", "alt_text", "caption", "credit",
        "focal_picker", "focal_x", "focal_y",
    )  # fmt: skip

    class Media:
        css = {"all": ("css/focal-point.css",)}
        js = ("js/focal-point.js",)

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        return thumbnail_html(obj.renditions, obj.alt_text)

    @admin.display(description=_("address for the body"))
    def address(self, obj):
        """What to paste in the rich-text editor's image dialog to use this image in a body."""
        if not obj.renditions:
            return "—"
        from django.conf import settings

        return format_html(
            '<code dir="ltr">{}{}</code>', settings.MEDIA_URL, obj.renditions[-1]["jpg"]
        )

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return thumbnail_html(obj.renditions[1:2] or obj.renditions, obj.alt_text)

    @admin.display(description=_("focal point"))
    def focal_picker(self, obj):
        """The image to click on: the point clicked fills the two fields below it
        (static/js/focal-point.js); without a pointer, type them."""
        if not obj.renditions:
            return _("Save the image first, then choose its focal point.")
        from django.conf import settings

        shown = obj.renditions[0]
        return format_html(
            '<div class="focal-picker" data-focal-picker><img src="{}{}" alt="{}" width="{}" '
            'height="{}"><span class="focal-mark" aria-hidden="true"></span></div>'
            '<p class="help">{}</p>',
            settings.MEDIA_URL,
            shown["jpg"],
            obj.alt_text,
            shown["width"],
            shown["height"],
            _(
                "Click the point that must stay in every crop (a face, the subject), or type "
                "it below in percent. Saving makes the crops again and refreshes the pages."
            ),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


class BylineInline(admin.TabularInline):
    model = Byline
    formset = NamedDuplicatesFormSet
    extra = 1
    autocomplete_fields = ("author",)
    ordering = ("position",)


class CorrectionInline(admin.StackedInline):
    """Corrections are appended, never rewritten: existing ones are read-only for everyone."""

    model = Correction
    extra = 0
    fields = ("kind", "text", "created_at")
    readonly_fields = ("created_at",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, forms.Textarea):
            field.widget.attrs.update(dir="auto", rows=3)
        return field

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ("from_status", "to_status", "changed_by", "changed_at")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("workflow record")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AuthorFilter(admin.SimpleListFilter):
    title = _("author")
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return [(str(a.pk), a.name) for a in Author.objects.only("pk", "name", "name_ar")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(bylines__author_id=self.value())
        return queryset


class ArticleActionForm(admin.helpers.ActionForm):
    section = forms.ModelChoiceField(
        Section.objects.all(), required=False, label=_("Move to section")
    )


class ArticleAdmin(
    NoLinkRowsOnDeleteMixin,
    KeepUploadsAdminMixin,
    DirAutoMixin,
    SimpleHistoryAdmin,
    TabbedTranslationAdmin,
):
    """The base of the article admin: workflow, roles, versions, the list and its actions.
    desk/admin.py builds the registered class from it and the other apps' parts."""

    list_display = (
        "thumbnail",
        "title",
        "section",
        "authors_column",
        "status_column",
        "publication_time",
        "total_views",
        "flags",
    )
    list_display_links = ("title",)
    list_filter = ("status", "section", AuthorFilter, "published_at", "is_breaking", "is_featured")
    list_select_related = ("section",)
    list_per_page = 50
    search_fields = ("title_search",)
    search_help_text = _("Finds a title whatever the hamza, taa marbuta, tashkeel or tatweel.")
    date_hierarchy = "published_at"
    show_full_result_count = False  # no second COUNT(*) over the whole table
    autocomplete_fields = ("library_image", "topics", "social_image")
    inlines = (BylineInline, CorrectionInline, StatusChangeInline)
    action_form = ArticleActionForm
    actions = ("publish_selected", "unpublish_selected", "move_to_section")
    readonly_fields = ("image_preview", "total_views", "views_by_day")
    object_history_template = "admin/articles/article/object_history.html"
    fieldsets = (
        (None, {"fields": ("title", "slug", "lead", "body")}),
        (
            _("Workflow"),
            {
                "fields": (
                    "section",
                    "topics",
                    "source",
                    "status",
                    "published_at",
                    "embargo_until",
                    "comments_enabled",
                )
            },
        ),
        (_("Home page"), {"fields": ("is_breaking", "is_featured", "pin_order")}),
        (
            _("Lead image"),
            {
                "fields": (
                    "library_image",
                    "image",
                    "image_preview",
                    "image_caption",
                    "image_credit",
                    "image_alt",
                )
            },
        ),
        (_("Figures"), {"fields": ("view_count", "total_views", "views_by_day")}),
        (
            _("Search engines and shared links"),
            {
                "fields": (
                    "seo_title",
                    "meta_description",
                    "social_image",
                    "canonical_url",
                    "noindex",
                ),
            },
        ),
    )
    EDITOR_ONLY_FIELDS = ("is_breaking", "is_featured", "pin_order", "embargo_until", "view_count")

    class Media:
        js = ("js/seo_fields.js",)  # counts the meta description as the editor types

    # Who may do what

    def has_publish_permission(self, request):
        return services.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or services.can_publish(request.user):
            return allowed
        return obj.created_by_id == request.user.pk and obj.status in Article.WRITER_STATUSES

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None or services.can_publish(request.user):
            return allowed
        return obj.created_by_id == request.user.pk and obj.status == Article.Status.DRAFT

    def has_view_history_permission(self, request, obj=None):
        # Versions, comparison and restore are the editors' (issue: "an editor sees…").
        return services.can_publish(request.user) and self.has_view_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
        return services.can_publish(request.user) and self.has_change_permission(request, obj)

    def has_view_history_or_change_history_permission(self, request, obj=None):
        return self.has_view_history_permission(request, obj) or self.has_change_history_permission(
            request, obj
        )

    # What restoring a version leaves as it is: whether and since when the article is
    # public. A version saved while it was published put a withdrawn article back online.
    KEPT_ON_RESTORE = ("status", "published_at")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a restore POST after a view check only: require change.
        article = get_object_or_404(Article, pk=object_id)
        if request.method == "POST" and not self.has_change_history_permission(request, article):
            raise PermissionDenied
        request.restoring_article = article
        if request.method == "GET":
            messages.warning(
                request,
                _(
                    "Restoring brings back this version's text and fields; the article stays "
                    "as it is: «%(status)s». Change its status on its form."
                )
                % {"status": article.get_status_display()},
            )
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # A writer's read-only view of a published article read «العنوان [ar]:».
        kwargs.setdefault("labels", translated_field_labels(Article))
        current = getattr(request, "restoring_article", None)
        if current is not None and obj is not None and obj.pk == current.pk:
            for name in self.KEPT_ON_RESTORE:  # the version's form starts from today's state
                setattr(obj, name, getattr(current, name))
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not services.can_publish(request.user):
            fields = (*fields, *self.EDITOR_ONLY_FIELDS)
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not services.can_publish(request.user):
            kwargs["choices"] = [
                (value, label)
                for value, label in Article.Status.choices
                if value in Article.WRITER_STATUSES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in RICH_TEXT_FIELDS and field is not None:
            attrs = {**field.widget.attrs, "dir": "auto"}
            field.widget = AdminProseEditorWidget(
                attrs=attrs, config=PROSE_EDITOR_CONFIG, preset="configurable"
            )
        if db_field.name in LEAD_FIELDS and field is not None:
            # A lead is a sentence or two: a few megabytes pasted there saved, and then the
            # form took over a minute to open. Generous for imported excerpts.
            field.max_length = LEAD_MAX_CHARS
            field.validators.append(MaxLengthValidator(LEAD_MAX_CHARS))
            field.widget.attrs["maxlength"] = str(LEAD_MAX_CHARS)
        if db_field.name == "view_count" and field is not None:
            # Beside "total views", the stored figure is the starting one, not the count shown.
            field.label = _("starting view count")
            field.help_text = _(
                "Views before this site counted them (imported from the old site, or set by "
                "hand). The views recorded here are added to it: the total is shown below."
            )
        return field

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A writer's forged form asking for a status only editors may set: refused outright.
        if request.method == "POST" and not services.can_publish(request.user):
            status = request.POST.get("status", Article.Status.DRAFT)
            if status not in Article.WRITER_STATUSES:
                raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if "library_image" in form.changed_data:
            obj.use_library_image_texts(typed=form.changed_data)
        services.save_article(article=obj, user=request.user, change=change)

    def save_related(self, request, form, formsets, change):
        """Topics and bylines are saved after the article's own version was made: that version
        records them as they are now saved."""
        super().save_related(request, form, formsets, change)
        version = form.instance.history.order_by("-history_date", "-history_id").first()
        if version is not None:
            version.relations = article_relations(form.instance)
            version.save(update_fields=["relations"])

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Correction) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    def get_formsets_with_inlines(self, request, obj=None):
        for inline in self.get_inline_instances(request, obj):
            if isinstance(inline, CorrectionInline) and (obj is None or not obj.is_published()):
                continue  # corrections are for published articles only
            if isinstance(inline, StatusChangeInline) and obj is None:
                continue
            yield inline.get_formset(request, obj), inline

    # The list

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
            .with_recorded_views()
        )

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search_title(search_term.strip()), False

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        return thumbnail_html(obj.image_renditions, obj.image_alt)

    @admin.display(description=_("authors"))
    def authors_column(self, obj):
        return "، ".join(str(byline.author) for byline in obj.bylines.all())

    @admin.display(description=_("total views"), ordering=F("view_count") + F("recorded_views"))
    def total_views(self, obj):
        return obj.total_views if obj.pk else 0

    @admin.display(description=_("views per day (last 30 days)"))
    def views_by_day(self, obj):
        if not obj.pk:
            return "-"
        since = timezone.localdate() - timedelta(days=29)
        days = list(
            obj.daily_views.filter(day__gte=since)
            .values("day")
            .annotate(n=Sum("views"))
            .order_by("-day")
            .values_list("day", "n")
        )
        if not days:
            return _("No views recorded in the last 30 days.")
        peak = max(n for _day, n in days)
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td>'
            '<td><meter min="0" max="{}" value="{}">{}</meter></td></tr>',
            ((dates.format_date(day), dates.local_digits(n), peak, n, n) for day, n in days),
        )
        return format_html(
            '<table class="views-by-day"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col"></th></tr></thead><tbody>{}</tbody></table>',
            _("day"),
            _("views"),
            rows,
        )

    @admin.display(description=_("status"), ordering="status")
    def status_column(self, obj):
        return obj.get_status_shown()

    @admin.display(description=_("publication time"), ordering="published_at")
    def publication_time(self, obj):
        """In the site's own style (Levantine month names by default), not Django's."""
        return dates.format_date(obj.published_at, with_time=True) if obj.published_at else "—"

    @admin.display(description=_("home page"))
    def flags(self, obj):
        labels = []
        if obj.is_breaking:
            labels.append(str(_("breaking news")))
        if obj.is_featured:
            labels.append(str(_("lead story")))
        if obj.pin_order is not None:
            labels.append(str(_("pinned %(n)s") % {"n": obj.pin_order}))
        return "، ".join(labels) or "—"

    @admin.display(description=_("current image"))
    def image_preview(self, obj):
        return thumbnail_html(obj.image_renditions[1:2] or obj.image_renditions, obj.image_alt)

    # Bulk actions

    def _move(self, request, queryset, status):
        moved, refused = services.set_status(articles=queryset, status=status, user=request.user)
        if moved:
            self.message_user(
                request,
                # «moved» read as moved to another section: say the status they now have.
                ngettext(
                    "%(n)d article: its status is now “%(status)s”.",
                    "%(n)d articles: their status is now “%(status)s”.",
                    moved,
                )
                % {"n": moved, "status": Article.Status(status).label},
                messages.SUCCESS,
            )
        for article in refused:
            self.message_user(
                request,
                _("“%(title)s” was not changed: the workflow or its embargo forbids it.")
                % {"title": article.title},
                messages.WARNING,
            )

    @admin.action(description=_("Publish selected articles now"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._move(request, queryset, Article.Status.PUBLISHED)

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._move(request, queryset, Article.Status.UNPUBLISHED)

    @admin.action(description=_("Move selected articles to the chosen section"))
    def move_to_section(self, request, queryset):
        section = (
            ArticleActionForm(request.POST)
            .fields["section"]
            .clean(request.POST.get("section") or None)
        )
        if section is None:
            self.message_user(request, _("Choose a section first."), messages.ERROR)
            return
        count = 0
        for article in queryset.select_related("section"):
            if self.has_change_permission(request, article) and article.section_id != section.pk:
                article.section = section
                article.save()  # through save(): a version is kept, as for any other edit
                count += 1
        self.message_user(
            request,
            ngettext(
                "%(n)d article moved to %(section)s.",
                "%(n)d articles moved to %(section)s.",
                count,
            )
            % {"n": count, "section": section},
            messages.SUCCESS,
        )

    # Revisions: compare two versions

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_historical_record_context_helper(self, request, historical_record):
        """The history page's changes as the compare page shows them (``ArticleHistory``)."""
        return ArticleHistory(self.model, historical_record)

    def compare_view(self, request, object_id):
        """Two versions side by side, field by field, with the changed words marked."""
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_history_or_change_history_permission(request, article):
            raise PermissionDenied
        try:
            old = article.history.get(history_id=int(request.GET["a"]))
            new = article.history.get(history_id=int(request.GET["b"]))
        except (KeyError, ValueError, Article.history.model.DoesNotExist) as exc:
            raise Http404 from exc
        if old.history_date > new.history_date:
            old, new = new, old
        rows = [
            {"label": field_label(field), "old": before, "new": after,
             "diff": lines_diff(version_lines(field, change.old), version_lines(field, change.new))}
            for field, change, before, after in version_changes(new.diff_against(old))
        ]  # fmt: skip
        for key, label in (("topics", _("topics")), ("bylines", _("authors"))):
            before, after = (old.relations or {}).get(key), (new.relations or {}).get(key)
            if before is not None and after is not None and before != after:
                rows.append(
                    {"label": label, "old": "، ".join(before), "new": "، ".join(after),
                     "diff": "\n".join(difflib.ndiff(before or [""], after or [""]))}
                )  # fmt: skip
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare versions of “%(title)s”") % {"title": article.title},
            "opts": self.model._meta,
            "object": article,
            "old": old,
            "new": new,
            "rows": rows,
            "history_url": reverse("admin:articles_article_history", args=[article.pk]),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)


def version_changes(delta):
    """The changes of a version as the desk lists them: ``(field, change, before, after)``,
    each once (modeltranslation's own column, ``body``, repeats one language's, ``body_ar``),
    shown values (``version_value``), none for a time saved again to the second."""
    mirrors = set(translator.get_options_for_model(Article).fields)
    for change in delta.changes:
        if change.field in mirrors:
            continue
        field = Article.history.model._meta.get_field(change.field)
        before, after = version_value(field, change.old), version_value(field, change.new)
        if before != after:
            yield field, change, before, after


class ArticleHistory(HistoricalRecordContextHelper):
    """django-simple-history's history page, its changes listed by ``version_changes``."""

    def context_for_delta_changes(self, delta):
        return [
            {"field": field_label(field), "old": Truncator(before).chars(100),
             "new": Truncator(after).chars(100)}
            for field, _change, before, after in version_changes(delta)
        ]  # fmt: skip


def version_value(field, value) -> str:
    """A version's value as the desk shows it: a status by its name, a time in the newsroom's
    time zone to the second (as its field is saved), yes or no; rich text as its words."""
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField):
        return dates.format_date(value, with_time=True)
    if isinstance(field, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if field.name in RICH_TEXT_FIELDS:
        return " ".join(version_lines(field, value))
    return str(value)


def version_lines(field, value) -> list[str]:
    """The lines a version's value is compared by: rich text by paragraph, as read."""
    if field.name in RICH_TEXT_FIELDS and value:
        text = re.sub(r"</(p|h[2-4]|li|blockquote|figcaption)>|<br\s*/?>", "\n", str(value))
        return [
            line.strip() for line in html_unescape(strip_tags(text)).splitlines() if line.strip()
        ]
    return [] if field.name in RICH_TEXT_FIELDS else [version_value(field, value)]


def lines_diff(before: list[str], after: list[str]) -> str:
    """The changed lines marked «- » and «+ » (difflib's «? » guide lines left out: they
    point at characters with «^» and «+» runs no editor reads)."""
    return "\n".join(
        line for line in difflib.ndiff(before or [""], after or [""]) if not line.startswith("? ")
    )


@admin.register(Correction)
class CorrectionAdmin(DirAutoMixin, SimpleHistoryAdmin):
    list_display = ("article", "kind", "created_at", "created_by")
    list_filter = ("kind",)
    list_select_related = ("article", "created_by")
    raw_id_fields = ("article",)

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "article" and field is not None:  # typed as a number: said so
            field.error_messages["invalid_choice"] = _("There is no article number %(value)s.")
        return field

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
