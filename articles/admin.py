from datetime import timedelta

from django.contrib import admin
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.html import format_html, format_html_join
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
    list_display = ("title", "section", "status", "published_at", "total_views")
    list_filter = ("status", "section")
    list_select_related = ("section",)
    search_fields = ("title_ar", "title_en")
    date_hierarchy = "published_at"
    inlines = (BylineInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "lead", "body")}),
        (_("Placement"), {"fields": ("section", "source", "status", "published_at")}),
        (
            _("Lead image"),
            {"fields": ("image", "image_caption", "image_credit", "image_alt")},
        ),
        (_("Figures"), {"fields": ("view_count", "total_views", "views_by_day")}),
    )
    readonly_fields = ("total_views", "views_by_day")

    def get_queryset(self, request):
        return super().get_queryset(request).with_recorded_views()

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
            ((day.isoformat(), n, peak, n, n) for day, n in days),
        )
        return format_html(
            '<table class="views-by-day"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col"></th></tr></thead><tbody>{}</tbody></table>',
            _("day"),
            _("views"),
            rows,
        )
