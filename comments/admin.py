"""The moderation queue in the (right-to-left) admin, for the comment moderators' group."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_comments_xtd.admin import XtdCommentsAdmin

from articles import dates
from articles.models import Article
from comments import services
from comments.models import BlockedTerm, ReaderComment
from comments.moderation import HOLD_BLOCKED, HOLD_FIRST, HOLD_LINKS

HOLD_LABELS = {
    HOLD_LINKS: _("too many links"),
    HOLD_FIRST: _("first comment from this address"),
    HOLD_BLOCKED: _("blocked address"),
}

STATES = {
    "waiting": Q(is_public=False, is_removed=False, is_spam=False, awaiting_confirmation=False),
    "published": Q(is_public=True, is_removed=False, is_spam=False),
    "unconfirmed": Q(awaiting_confirmation=True, is_removed=False, is_spam=False),
    "removed": Q(is_removed=True, is_spam=False),
    "spam": Q(is_spam=True),
}
STATE_LABELS = {
    "waiting": _("Waiting for moderation"),
    "published": _("Published"),
    "unconfirmed": _("Awaiting email confirmation"),
    "removed": _("Removed"),
    "spam": _("Spam"),
}


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        counts = ReaderComment.norel_objects.aggregate(
            **{state: Count("pk", filter=condition) for state, condition in STATES.items()}
        )
        return [(state, f"{STATE_LABELS[state]} ({counts[state]})") for state in STATES]

    def queryset(self, request, queryset):
        if self.value() in STATES:
            return queryset.filter(STATES[self.value()])
        return queryset


class ArticleFilter(admin.SimpleListFilter):
    title = _("article")
    parameter_name = "article"

    def lookups(self, request, model_admin):
        pks = (
            ReaderComment.norel_objects.filter(content_type__app_label="articles")
            .order_by("-submit_date")
            .values_list("object_pk", flat=True)[:500]
        )
        ids = {int(pk) for pk in pks if pk.isdigit()}
        return [(str(a.pk), a.title) for a in Article.objects.filter(pk__in=ids)[:50]]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(content_type__app_label="articles", object_pk=self.value())
        return queryset


READER_FIELDS = {
    "user_name": _("reader's name"),
    "user_email": _("reader's email"),
    "followup": _("notify of replies"),  # django-comments-xtd names it "Followup"
}


@admin.register(ReaderComment)
class ReaderCommentAdmin(XtdCommentsAdmin):
    list_display = (
        "excerpt",
        "reader",
        "article",
        "submitted",
        "state",
        "held_because",
        "ip_address",
    )
    list_display_links = ("excerpt",)
    list_filter = (StateFilter, ArticleFilter, "submit_date")
    date_hierarchy = "submit_date"
    ordering = ("-submit_date",)
    list_per_page = 50
    search_fields = ("comment", "user_name", "user_email", "ip_address")
    actions = ("approve_comments", "remove_comments", "mark_spam")
    # What the comment is under, when and from where it came are facts, not fields to edit.
    readonly_fields = ("article", "submitted", "ip_address", "held_because")
    fieldsets = (
        (None, {"fields": ("user_name", "user_email", "comment", "followup")}),
        (
            _("Moderation"),
            {
                "fields": (
                    "is_public",
                    "is_removed",
                    "is_spam",
                    "awaiting_confirmation",
                    "held_because",
                )
            },
        ),
        (
            _("Metadata"),
            {
                "fields": (
                    "article",
                    "submitted",
                    "ip_address",
                )
            },
        ),
    )
    change_list_template = "admin/comments/readercomment/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("content_object")

    def has_add_permission(self, request):
        return False  # comments come from readers, through the article page's form

    def has_delete_permission(self, request, obj=None):
        return False  # moderators remove reversibly (recorded), on the list and on the form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in READER_FIELDS:
            # django-comments' "user's name" reads «اسم المستخدم»: readers are not users here.
            field.label = READER_FIELDS[db_field.name]
        if field is not None and db_field.name == "user_name":
            field.required = True  # as on the reader's form: a comment shows who wrote it
        return field

    @admin.display(description=_("date/time submitted"), ordering="submit_date")
    def submitted(self, comment):
        """The date as the reading site writes it (Levantine months, 24-hour clock)."""
        return dates.format_date(comment.submit_date, with_time=True)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("flag_comments", None)
        # Moderators remove (reversibly, recorded); Django's hard delete is not offered here.
        actions.pop("delete_selected", None)
        if not request.user.has_perm("django_comments.can_moderate"):
            for name in ("approve_comments", "remove_comments", "mark_spam"):
                actions.pop(name, None)
        return actions

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "waiting_count": ReaderComment.norel_objects.filter(STATES["waiting"]).count(),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return Truncator(obj.comment).chars(80)

    @admin.display(description=_("article"))
    def article(self, obj):
        target = obj.content_object
        if target is None:
            return "—"
        return format_html('<a href="{}">{}</a>', target.get_absolute_url(), target)

    @admin.display(description=_("state"))
    def state(self, obj):
        return STATE_LABELS.get(obj.state, obj.state)

    @admin.display(description=_("reader"), ordering="user_name")
    def reader(self, obj):
        return obj.user_name

    @admin.display(description=_("held because"))
    def held_because(self, obj):
        if obj.is_public:  # approved: the reason it was held no longer applies
            return ""
        return "، ".join(
            str(HOLD_LABELS.get(code, code)) for code in obj.hold_reason.split(",") if code
        )

    def _done(self, request, count, message):
        self.message_user(request, message % {"count": count})

    @admin.action(description=_("Approve (publish) the selected comments"))
    def approve_comments(self, request, queryset):
        count = services.approve_comments(comments=queryset, request=request)
        self._done(
            request,
            count,
            ngettext("%(count)d comment published.", "%(count)d comments published.", count),
        )

    @admin.action(description=_("Remove the selected comments"))
    def remove_comments(self, request, queryset):
        count = services.remove_comments(comments=queryset, request=request)
        self._done(
            request,
            count,
            ngettext("%(count)d comment removed.", "%(count)d comments removed.", count),
        )

    @admin.action(description=_("Mark the selected comments as spam"))
    def mark_spam(self, request, queryset):
        count = services.remove_comments(comments=queryset, request=request, spam=True)
        self._done(
            request,
            count,
            ngettext(
                "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", count
            ),
        )


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ("value", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("value",)
