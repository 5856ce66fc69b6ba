from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from articles.models import Article, Author, Byline, Section


@admin.register(Section)
class SectionAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name_ar",)}


@admin.register(Author)
class AuthorAdmin(TabbedTranslationAdmin):
    list_display = ("name", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("name_ar", "name_en")
    prepopulated_fields = {"slug": ("name_ar",)}


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ("author",)
    ordering = ("position",)


@admin.register(Article)
class ArticleAdmin(TabbedTranslationAdmin):
    list_display = ("title", "section", "status", "published_at", "view_count")
    list_filter = ("status", "section")
    list_select_related = ("section",)
    search_fields = ("title_ar", "title_en")
    date_hierarchy = "published_at"
    inlines = (BylineInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "lead", "body")}),
        (
            _("Placement"),
            {"fields": ("section", "source", "status", "published_at", "comments_enabled")},
        ),
        (
            _("Lead image"),
            {"fields": ("image", "image_caption", "image_credit", "image_alt")},
        ),
        (_("Figures"), {"fields": ("view_count",)}),
    )
