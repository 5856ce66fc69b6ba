"""The desk's intake in the admin: agency feeds and their health, the «الوكالات» queue with
«خذ الخبر», drafts taken from wires and their flags, and the day's budget (pitches, the
per-day budget, the week calendar)."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.html import sanitize_html
from articles.models import Article
from wires.budget import FIRST_DAY, LAST_DAY, Budget, week_start
from wires.models import Feed, Pitch, TakenWire, WireItem
from wires.services import approve_pitch, clear_flags, take_wire

ADD_ARTICLE = "articles.add_article"
PUBLISH = "articles.publish_article"


def article_link(article):
    if article is None:
        return "—"
    url = reverse("admin:articles_article_change", args=[article.pk])
    return format_html('<a href="{}">{}</a>', url, article.title)


class WiresMedia:
    class Media:
        css = {"all": ("wires/wires.css",)}


class DeskOnlyMixin(WiresMedia):
    """Read by whoever holds the model's view permission (the roles: articles/roles.py);
    taking a wire needs the right to write an article; nobody edits an item."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Feed)
class FeedAdmin(WiresMedia, admin.ModelAdmin):
    list_display = (
        "name", "format", "agency", "section", "poll_seconds", "is_active", "health",
        "last_success_at", "last_error",
    )  # fmt: skip
    list_filter = ("format", "is_active")
    search_fields = ("name", "url")
    readonly_fields = (
        "health", "last_polled_at", "last_success_at", "last_error", "last_error_at",
        "last_left_out",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": ("name", "url", "format", "agency", "section", "poll_seconds",
                           "is_active")}),
        (gettext_lazy("health"), {"fields": readonly_fields}),
    )  # fmt: skip

    @admin.display(description=gettext_lazy("health"))
    def health(self, feed):
        if feed.last_polled_at is None:
            return format_html('<span class="wires-badge">{}</span>', _("not polled yet"))
        if feed.is_healthy and feed.last_left_out:
            return format_html(
                '<span class="wires-badge wires-error">{}</span>',
                ngettext(
                    "read, but %(count)d entry without an identifier or a headline was left out",
                    "read, but %(count)d entries without an identifier or a headline were left out",
                    feed.last_left_out,
                )
                % {"count": feed.last_left_out},
            )
        if feed.is_healthy:
            return format_html('<span class="wires-badge wires-ok">{}</span>', _("healthy"))
        return format_html('<span class="wires-badge wires-error">{}</span>', _("failing"))


@admin.register(WireItem)
class WireItemAdmin(DeskOnlyMixin, admin.ModelAdmin):
    list_display = ("marker", "headline", "agency", "section", "received_at", "take")
    list_display_links = ("headline",)
    list_filter = (
        ("feed__agency", admin.RelatedOnlyFieldListFilter),
        ("feed__section", admin.RelatedOnlyFieldListFilter),
        ("received_at", admin.DateFieldListFilter),
        "status",
    )
    list_select_related = ("feed__agency", "feed__section", "taken__article")
    search_fields = ("headline",)  # shows the box; the search itself folds Arabic below
    search_help_text = gettext_lazy("Hamza, taa marbuta and alef maqsura forms match each other.")
    list_per_page = 50
    actions = ("take_selected",)
    fields = (
        "headline", "agency", "section", "status", "version", "received_at", "changed_at",
        "published_at", "updated_at", "lang", "original", "text", "draft",
    )  # fmt: skip
    readonly_fields = fields

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("Wires"), **(extra_context or {})})

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def get_urls(self):
        take = self.admin_site.admin_view(self.take_view)
        return [
            path("<path:object_id>/take/", take, name="wires_wireitem_take"),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("new"))
    def marker(self, item):
        if item.status == WireItem.Status.WITHDRAWN:
            return format_html('<span class="wires-badge wires-error">{}</span>', _("withdrawn"))
        if item.changed_at:  # before "new": an update within the new window is news too
            return format_html('<span class="wires-badge">{}</span>', _("updated"))
        if item.is_new:
            return format_html('<span class="wires-badge wires-new">{}</span>', _("new"))
        return ""

    @admin.display(description=gettext_lazy("agency"), ordering="feed__agency__name")
    def agency(self, item):
        return item.feed.agency

    @admin.display(description=gettext_lazy("section"))
    def section(self, item):
        return item.feed.section

    @admin.display(description=gettext_lazy("original"))
    def original(self, item):
        if not item.link:
            return item.guid
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', item.link, item.link)

    @admin.display(description=gettext_lazy("text"))
    def text(self, item):
        return mark_safe(sanitize_html(item.body))  # sanitised again: agencies' HTML

    @admin.display(description=gettext_lazy("draft"))
    def draft(self, item):
        taken = getattr(item, "taken", None) if hasattr(item, "taken") else None
        return article_link(taken.article) if taken else "—"

    @admin.display(description=gettext_lazy("take"))
    def take(self, item):
        taken = item.taken if hasattr(item, "taken") else None
        if taken is not None:
            return format_html(
                '{} <a href="{}">{}</a>',
                _("Taken:"),
                reverse("admin:articles_article_change", args=[taken.article_id]),
                _("the draft"),
            )
        if item.status == WireItem.Status.WITHDRAWN:
            return "—"
        url = reverse("admin:wires_wireitem_take", args=[item.pk])
        return format_html(
            '<button type="submit" class="button wires-take" formaction="{}" '
            'aria-label="{}">{}</button>',
            url,
            _("Take the story: %(headline)s") % {"headline": item.headline},
            _("Take the story"),
        )

    def take_view(self, request, object_id):
        """«خذ الخبر» (POST): a draft from the wire, then its form."""
        if request.method != "POST":  # the address opened by hand: the queue, not a bare 405
            return redirect("admin:wires_wireitem_changelist")
        if not request.user.has_perm(ADD_ARTICLE):
            raise PermissionDenied
        item = WireItem.objects.filter(pk=unquote(object_id)).first()
        if item is None:
            raise Http404
        try:
            article, made = take_wire(item_id=item.pk, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:wires_wireitem_changelist")
        if made:
            self.message_user(
                request, _("The wire is now a draft: edit it and send it on."), messages.SUCCESS
            )
            if len(item.headline) > len(article.title_ar or ""):
                self.message_user(
                    request,
                    _(
                        "The agency's headline was longer than a title may be (%(limit)d "
                        "characters): the title holds its beginning; write it again."
                    )
                    % {"limit": Article._meta.get_field("title").max_length},
                    messages.WARNING,
                )
        else:
            self.message_user(request, _("This wire was already taken: here is its draft."),
                              messages.WARNING)  # fmt: skip
        return redirect("admin:articles_article_change", article.pk)

    @admin.action(description=gettext_lazy("Take the story"))
    def take_selected(self, request, queryset):
        made, refused = 0, []
        for item in queryset:
            try:
                made += take_wire(item_id=item.pk, user=request.user)[1]
            except ValidationError:
                refused.append(item.headline)
        self.message_user(request, _("%(count)s drafts made from the wires.") % {"count": made})
        if refused:
            self.message_user(
                request,
                _("Withdrawn by the agency, not taken: %(items)s") % {"items": "، ".join(refused)},
                messages.WARNING,
            )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(ADD_ARTICLE):
            actions.pop("take_selected", None)
        return actions


@admin.register(TakenWire)
class TakenWireAdmin(DeskOnlyMixin, admin.ModelAdmin):
    list_display = ("article_title", "wire", "flag", "flagged_at", "taken_by", "taken_at")
    list_filter = ("flag",)
    list_select_related = ("article", "item", "taken_by")
    actions = ("clear_selected",)
    fields = ("article_title", "wire", "flag", "flagged_at", "taken_by", "taken_at",
              "cleared_by", "cleared_at")  # fmt: skip
    readonly_fields = fields

    @admin.display(description=gettext_lazy("draft"))
    def article_title(self, taken):
        return article_link(taken.article)

    @admin.display(description=gettext_lazy("wire"))
    def wire(self, taken):
        url = reverse("admin:wires_wireitem_change", args=[taken.item_id])
        return format_html('<a href="{}">{}</a>', url, taken.item.headline)

    @admin.action(description=gettext_lazy("Clear the agency's flag (I have read the change)"))
    def clear_selected(self, request, queryset):
        if not request.user.has_perm(PUBLISH):
            raise PermissionDenied
        count = clear_flags(taken=queryset, user=request.user)
        self.message_user(request, _("%(count)s flags cleared.") % {"count": count})


class PitchForm(forms.ModelForm):
    """A pitch is approved by «اعتمد» only (it makes the draft): the status list does not
    offer «معتمد», which saved as «مقترح» without a word. And a pitch is dated on a day the
    budget can show, or it would be in no budget."""

    class Meta:
        model = Pitch
        fields = ("headline", "section", "writer", "expected_at", "priority", "status", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is not None and not (self.instance and self.instance.article_id):
            status.choices = [
                choice for choice in status.choices if choice[0] != Pitch.Status.APPROVED
            ]
            status.help_text = _(
                "To approve a pitch, press «Approve» in the list: it makes the draft."
            )

    def clean_expected_at(self):
        expected = self.cleaned_data["expected_at"]
        try:
            day = timezone.localdate(expected) if expected else None
        except (OverflowError, ValueError):  # the year 9999's last hours, in Damascus
            day = LAST_DAY + timedelta(days=1)
        if day is not None and not (FIRST_DAY <= day <= LAST_DAY):
            raise ValidationError(
                _("Choose a day between %(first)s and %(last)s: the budget shows no other.")
                % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
            )
        return expected


@admin.register(Pitch)
class PitchAdmin(WiresMedia, admin.ModelAdmin):
    form = PitchForm
    list_display = ("headline", "section", "writer", "expected_at", "priority", "status",
                    "draft", "approve")  # fmt: skip
    list_filter = ("status", "priority", "section", ("expected_at", admin.DateFieldListFilter))
    search_fields = ("headline",)
    list_select_related = ("section", "writer", "article")
    fields = ("headline", "section", "writer", "expected_at", "priority", "status", "notes",
              "draft")  # fmt: skip
    readonly_fields = ("draft",)
    change_list_template = "admin/wires/pitch/change_list.html"

    # Who may pitch, see and delete pitches: the model's permissions (the roles,
    # articles/roles.py). Approving needs the right to publish (below).

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.article_id:
            return False  # approved: the draft and its assignment carry on
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.article_id)

    def get_list_display(self, request):
        if not request.user.has_perm(PUBLISH):  # «اعتمد» would only answer «الدخول مرفوض»
            return tuple(name for name in self.list_display if name != "approve")
        return self.list_display

    def get_readonly_fields(self, request, obj=None):
        if not request.user.has_perm(PUBLISH):
            return ("status", "draft")  # writers pitch; editors decide
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.status == Pitch.Status.APPROVED and not obj.article_id:
            obj.status = Pitch.Status.PROPOSED  # only «اعتمد» approves: it makes the draft
        super().save_model(request, obj, form, change)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("budget/", view(self.budget_view), name="wires_pitch_budget"),
            path("calendar/", view(self.calendar_view), name="wires_pitch_calendar"),
            path("<path:object_id>/approve/", view(self.approve_view), name="wires_pitch_approve"),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("draft"))
    def draft(self, pitch):
        return article_link(pitch.article)

    @admin.display(description=gettext_lazy("approve"))
    def approve(self, pitch):
        if pitch.article_id or pitch.status == Pitch.Status.REJECTED:
            return "—"
        return format_html(
            '<button type="submit" class="button wires-approve" formaction="{}" '
            'aria-label="{}">{}</button>',
            reverse("admin:wires_pitch_approve", args=[pitch.pk]),
            _("Approve into an assignment: %(headline)s") % {"headline": pitch.headline},
            _("Approve"),
        )

    def approve_view(self, request, object_id):
        """«اعتمد» (POST, editors): the pitch becomes a draft assigned to its writer."""
        if request.method != "POST":  # the address opened by hand: the list, not a bare 405
            return redirect("admin:wires_pitch_changelist")
        if not request.user.has_perm(PUBLISH):
            raise PermissionDenied
        pitch = Pitch.objects.filter(pk=unquote(object_id)).first()
        if pitch is None:
            raise Http404
        try:
            article = approve_pitch(pitch_id=pitch.pk, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:wires_pitch_changelist")
        if pitch.writer_id:
            done = _("Approved: a draft assigned to its writer, due when the pitch expected.")
        else:  # a pitch may name no writer: the draft waits for one, and the desk says so
            done = _("Approved: a draft with no writer yet; assign one on the draft.")
        self.message_user(request, done, messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    def _day(self, request, name):
        value = request.GET.get(name, "")
        try:
            day = parse_date(value) if value else None
        except ValueError:
            day = None
        if value and day is None:
            self.message_user(request, _("That is not a date; showing today."), messages.WARNING)
        elif day is not None and not (FIRST_DAY <= day <= LAST_DAY):
            # The pages step a week either side and bound each day in the newsroom's time zone:
            # the first and last days Python has would overflow.
            self.message_user(
                request, _("That date is out of range; showing today."), messages.WARNING
            )
            day = None
        return day or timezone.localdate()

    def budget_view(self, request):
        """The day's budget: pitches, assignments due and scheduled stories of one day."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        day = self._day(request, "day")
        budget = Budget.load(day)
        context = {
            **self.admin_site.each_context(request),
            "title": _("The budget of %(day)s") % {"day": day.isoformat()},
            "opts": self.model._meta,
            "day": day,
            "budget": budget,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "today": timezone.localdate(),
            "can_approve": request.user.has_perm(PUBLISH),
        }
        return TemplateResponse(request, "admin/wires/budget.html", context)

    def calendar_view(self, request):
        """The week's calendar: one column a day (Saturday first), planned and scheduled."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        start = week_start(self._day(request, "week"))
        budget = Budget.load(start, days=7)
        context = {
            **self.admin_site.each_context(request),
            "title": _("The week from %(day)s") % {"day": start.isoformat()},
            "opts": self.model._meta,
            "budget": budget,
            "rows": budget.rows(),
            "dates": budget.dates,
            "previous": start - timedelta(days=7),
            "next": start + timedelta(days=7),
            "today": timezone.localdate(),
        }
        return TemplateResponse(request, "admin/wires/calendar.html", context)
