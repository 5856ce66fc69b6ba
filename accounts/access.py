"""Who reaches the desk, in the desk's language: permissions, groups, users and lockouts.

Django stores each permission's name in English when it creates it («Can add log entry») and
the group and user forms show those names verbatim. Here they are named from what they are:
the action on the model (in the model's own, translated, name), or the model's declared
permission (``Meta.permissions``, marked for translation), or, for other apps' own, our
catalogue (newsroom/third_party_strings.py). The group and user admins show them, and
django-axes' list of failed sign-ins says how many attempts are left; accounts/admin.py
registers them (with the sessions and the second factor on the user's page).
"""

from axes.admin import AccessAttemptAdmin
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

# Translated when a label is built, in the request's language.
ACTIONS = {
    "add": gettext_noop("Add %(model)s"),
    "change": gettext_noop("Change %(model)s"),
    "delete": gettext_noop("Delete %(model)s"),
    "view": gettext_noop("View %(model)s"),
}


def permission_label(permission) -> str:
    """«المقالات | مقال | إضافة مقال»: app, model, what the permission allows."""
    model = permission.content_type.model_class()
    if model is None:  # a model that no longer exists
        return str(permission)
    meta = model._meta
    # Other apps' names that are not marked for translation come from our catalogue.
    app_name = gettext(str(meta.app_config.verbose_name))
    model_name = gettext(str(meta.verbose_name))
    history_of = getattr(model, "instance_type", None)  # django-simple-history's versions
    if history_of is not None:
        model_name = gettext("earlier versions of %(model)s") % {
            "model": history_of._meta.verbose_name
        }
    action, _sep, codename_model = permission.codename.partition("_")
    declared = dict(meta.permissions)
    if permission.codename in declared:
        label = gettext(str(declared[permission.codename]))
    elif action in ACTIONS and codename_model == meta.model_name:
        label = gettext(ACTIONS[action]) % {"model": model_name}
    else:
        label = gettext(permission.name)
    return f"{app_name} | {model_name} | {label}"


class PermissionLabelsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and field is not None:
            field.label_from_instance = permission_label
        return field


class DeskGroupAdmin(PermissionLabelsMixin, GroupAdmin):
    pass


class DeskUserAdmin(PermissionLabelsMixin, UserAdmin):
    pass


class DeskAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes' list of failed sign-ins, with its status column in words that agree with
    the number (its own says "4 Attempt Remaining", untranslated)."""

    @admin.display(description=_("status"))
    def status(self, obj):
        remaining = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if remaining <= 0:
            return gettext("locked out")
        return ngettext("%(count)s attempt left", "%(count)s attempts left", remaining) % {
            "count": remaining
        }
