from django.contrib import admin
from django_prose_editor.widgets import AdminProseEditorWidget
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from articles.admin import PROSE_EDITOR_CONFIG, DirAutoMixin
from pages.models import Page


@admin.register(Page)
class PageAdmin(DirAutoMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ("title", "slug", "is_published", "show_in_footer", "order", "updated_at")
    list_editable = ("order",)
    list_filter = ("is_published", "show_in_footer")
    search_fields = ("title_ar", "title_en")
    prepopulated_fields = {"slug": ("title_ar",)}
    fields = ("title", "slug", "body", "is_published", "show_in_footer", "order")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("body_ar", "body_en") and field is not None:
            attrs = {**field.widget.attrs, "dir": "auto"}
            field.widget = AdminProseEditorWidget(
                attrs=attrs, config=PROSE_EDITOR_CONFIG, preset="configurable"
            )
        return field
