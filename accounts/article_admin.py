"""accounts' part of the article admin: the publish record under an article's workflow record.

desk/admin.py assembles the article admin with ``PublishRecordMixin`` in it. This module
registers nothing (importing it has no effect on the admin site), so desk can import it whatever
the order of INSTALLED_APPS.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import PublishRecord
from articles.services import can_publish


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


PUBLISH_RECORD_FIELDS = (
    "action",
    "detail",
    "user",
    "at",
    "where",
    "second_factor",
)


class PublishRecordColumns:
    @admin.display(description=_("from"))
    def where(self, obj):
        if obj.session_id is None and not obj.ip_address:
            return _("outside the desk (no session)")
        return f"{obj.device} · {obj.ip_address or '—'}"

    @admin.display(description=_("second factor passed"))
    def second_factor(self, obj):
        if obj.verified:
            return _("yes (%(method)s)") % {"method": obj.get_verified_with_display()}
        return _("no")


class PublishRecordInline(ReadOnlyMixin, PublishRecordColumns, admin.TabularInline):
    """The article's publish record, under its workflow record."""

    model = PublishRecord
    extra = 0
    fields = PUBLISH_RECORD_FIELDS
    readonly_fields = PUBLISH_RECORD_FIELDS
    can_delete = False
    verbose_name_plural = _("publish record")

    def has_view_permission(self, request, obj=None):
        return can_publish(request.user) or request.user.is_superuser

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class PublishRecordMixin:
    """accounts' part of the article admin: the publish record under an existing article's
    form (the add page has nothing recorded yet), after the inlines the admin lists."""

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return inlines if obj is None else (*inlines, PublishRecordInline)
