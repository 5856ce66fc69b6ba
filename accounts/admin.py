"""Desk accounts in the admin: an administrator sees an account's sessions, ends them all, or
resets a lost second factor; the publish record is a read-only list (the one each article shows
is accounts/article_admin.py's inline, which desk/admin.py puts in the article admin).

django-otp's own device admins are removed: they show the TOTP secret, in English.
"""

from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import sessions, twofactor
from accounts.access import DeskAccessAttemptAdmin, DeskGroupAdmin, DeskUserAdmin
from accounts.article_admin import PublishRecordColumns, ReadOnlyMixin
from accounts.models import DeskSession, PublishRecord

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# Groups and failed sign-ins in the desk's language (accounts/access.py); users further down.
admin.site.unregister(Group)
admin.site.register(Group, DeskGroupAdmin)
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, DeskAccessAttemptAdmin)


@admin.register(PublishRecord)
class PublishRecordAdmin(ReadOnlyMixin, PublishRecordColumns, admin.ModelAdmin):
    list_display = ("at", "action", "article_title", "user", "where", "second_factor")
    list_filter = ("action", "verified", "at")
    list_select_related = ("user",)
    search_fields = ("article_title", "username")
    date_hierarchy = "at"
    fields = (
        "article",
        "article_title",
        "action",
        "detail",
        "user",
        "username",
        "at",
        "session",
        "where",
        "second_factor",
        "user_agent",
    )
    readonly_fields = fields


class DeskSessionInline(ReadOnlyMixin, admin.TabularInline):
    model = DeskSession
    extra = 0
    fields = ("device", "ip_address", "started_at", "last_seen", "verified_with")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("open sessions")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(ended_at__isnull=True)

    @admin.display(description=_("device"))
    def device(self, obj):
        return obj.device


User = get_user_model()


class AccountsUserAdmin(DeskUserAdmin):
    inlines = (*DeskUserAdmin.inlines, DeskSessionInline)
    actions = ("end_all_sessions", "reset_second_factor")
    list_display = (*DeskUserAdmin.list_display, "second_factor")

    def get_queryset(self, request):
        enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_second_factor=Exists(enrolled))

    @admin.display(description=_("second factor"), boolean=True, ordering="has_second_factor")
    def second_factor(self, obj):
        return obj.has_second_factor

    @admin.action(
        description=_("End all sessions of the selected accounts"), permissions=["change"]
    )
    def end_all_sessions(self, request, queryset):
        count = 0
        for user in queryset:
            count += sessions.end_all(user, reason=DeskSession.EndReason.BY_ADMIN, by=request.user)
        self.message_user(
            request,
            ngettext("%(n)d session ended.", "%(n)d sessions ended.", count) % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Reset the second factor of the selected accounts (lost phone)"),
        permissions=["change"],
    )
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            twofactor.reset_second_factor(user=user, by=request.user, via="desk")
        self.message_user(
            request,
            _(
                "Second factor reset. At their next sign-in these accounts set up a new "
                "authenticator (if their role requires one)."
            ),
            messages.SUCCESS,
        )


admin.site.unregister(User)
admin.site.register(User, AccountsUserAdmin)
