"""Live coverage in the desk: the panel on the article's page (live/desk.py), the coverages
list, and an entry's own page to edit it («عُدّل» with the time) or see its versions."""

from django.contrib import admin, messages
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from articles.admin import SpellingVariantsSearchMixin
from live import desk, services
from live.forms import EntryAdminForm
from live.models import LiveCoverage, LiveEntry
from uploads.kept import KeepUploadsAdminMixin


@admin.register(LiveCoverage)
class LiveCoverageAdmin(admin.ModelAdmin):
    list_display = ("article", "state", "started_at", "ended_at")
    list_filter = ("state",)
    raw_id_fields = ("article",)
    readonly_fields = ("article", "state", "started_at", "ended_at", "started_by")

    def has_add_permission(self, request):
        return False  # started from the article's page

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("<int:article_id>/start/", view(desk.start_view), name="live_start"),
            path("<int:article_id>/end/", view(desk.end_view), name="live_end"),
            path("<int:article_id>/post/", view(desk.post_entry_view), name="live_post"),
            path("entry/<int:entry_id>/remove/", view(desk.remove_view), name="live_remove"),
            path("entry/<int:entry_id>/restore/", view(desk.restore_view), name="live_restore"),
            *super().get_urls(),
        ]


@admin.register(LiveEntry)
class LiveEntryAdmin(SpellingVariantsSearchMixin, KeepUploadsAdminMixin, SimpleHistoryAdmin):
    form = EntryAdminForm
    search_fields = ("body",)  # Arabic in any spelling (the mixin)
    list_display = (
        "__str__",
        "coverage",
        "posted_at",
        "is_breaking",
        "is_pinned",
        "edited_at",
        "removed_at",
    )
    list_filter = ("is_breaking", "is_pinned", ("removed_at", admin.EmptyFieldListFilter))
    list_select_related = ("coverage__article",)
    raw_id_fields = ("author",)
    actions = ("remove_selected", "restore_selected")

    def has_add_permission(self, request):
        return False  # posted from the live article's page

    def has_delete_permission(self, request, obj=None):
        return False  # removed, never deleted: the history keeps every entry

    def save_model(self, request, obj, form, change):
        services.save_edited_entry(entry=obj, image_changed="image" in form.changed_data)

    @admin.action(description=_("Remove the selected entries (kept in history)"))
    def remove_selected(self, request, queryset):
        for entry in queryset.select_related("coverage"):
            services.remove_entry(entry=entry)
        messages.success(request, _("Entries removed."))

    @admin.action(description=_("Restore the selected entries"))
    def restore_selected(self, request, queryset):
        for entry in queryset.select_related("coverage"):
            services.restore_entry(entry=entry)
        messages.success(request, _("Entries restored."))
