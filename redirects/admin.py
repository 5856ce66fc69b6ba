"""The desk's redirect manager: redirects by hand or by CSV (import and export), with their
hit counts; loops and chains are refused when saving."""

from urllib.parse import unquote

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.admin import SpellingVariantsSearchMixin
from redirects import services
from redirects.models import Redirect, SlugHistory

MAX_CSV_BYTES = 20 * 1024 * 1024


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: old_path, target, status. The target is article:<id>, page:<id>, an "
            "address, or empty for 410."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


def address_cell(address: str):
    """An address as read: its Arabic letters, not their percent-escapes (three times as long:
    the list ran off the screen), left to right inside the right-to-left table («/ar/old/»
    showed as «ar/old//»)."""
    return format_html('<bdi dir="ltr">{}</bdi>', unquote(address))


@admin.register(Redirect)
class RedirectAdmin(SpellingVariantsSearchMixin, admin.ModelAdmin):
    list_display = ("old_address", "target", "status", "hits", "last_hit")
    list_display_links = ("old_address",)
    list_filter = ("status",)
    search_fields = ("old_path", "url")
    autocomplete_fields = ("article", "page")
    readonly_fields = ("hits", "last_hit", "created_at")
    fields = ("old_path", "status", "article", "page", "url", "hits", "last_hit", "created_at")
    change_list_template = "admin/redirects/redirect/change_list.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """No maxlength on the addresses' boxes: a browser cuts a longer paste without a word
        (the redirect then answered nothing); the form says it is too long instead."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("old_path", "url") and field is not None:
            field.widget.attrs.pop("maxlength", None)
        return field

    @admin.display(description=_("old address"), ordering="old_path")
    def old_address(self, obj):
        return address_cell(obj.old_path)

    @admin.display(description=_("leads to"))
    def target(self, obj):
        if obj.status == Redirect.Status.GONE:
            return "—"
        return address_cell(obj.target_url())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "page")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="redirects_redirect_import"),
            path("export/", wrap(self.export_view), name="redirects_redirect_export"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied  # the desk's Arabic «403» page, not an empty body
        form = CsvImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            result = services.import_csv(form.cleaned_data["file"].read())
            if not result.errors:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d redirect added.", "%(count)d redirects added.", result.created
                    )
                    % {"count": result.created},
                    messages.SUCCESS,
                )
                return redirect("admin:redirects_redirect_changelist")
            errors = result.errors
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import redirects from CSV"),
            "form": form,
            "errors": errors,
            "changelist_url": reverse("admin:redirects_redirect_changelist"),
        }
        return render(request, "admin/redirects/redirect/import.html", context)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied  # the desk's Arabic «403» page, not an empty body
        response = HttpResponse(
            # the BOM: spreadsheet programs read the file as UTF-8 (Arabic paths, not mojibake);
            # the import skips it
            "\ufeff" + services.export_csv(Redirect.objects.order_by("old_path")),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="redirects.csv"'
        return response


@admin.register(SlugHistory)
class SlugHistoryAdmin(admin.ModelAdmin):
    """The old slugs, read only: kept by the objects' own saves, not by hand."""

    list_display = ("old_slug", "kind", "current_slug", "changed_at")
    list_filter = ("kind",)
    search_fields = ("old_slug", "current_slug")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
