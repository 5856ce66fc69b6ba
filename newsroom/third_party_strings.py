"""Strings that third-party code shows the desk untranslated, or translated wrongly.

django-simple-history's history table ("Changes", and "None" for a version without any)
ships an Arabic catalogue without them; Django's own Arabic admin catalogue says "was added"
after a change is saved, and agrees "selected" in the feminine with every model's name
(«تغيير القسم المختارة»): ours says it without agreement («تغيير المختار: القسم»).
Django's form for a new user, django-axes' "locked out" filter and django-comments-xtd's
follow-up help text have no Arabic at all.
Listing them here puts them in our catalogue (locale/ar), which Django consults before the
apps' own.
"""

from django.utils.translation import gettext_noop

SIMPLE_HISTORY = (gettext_noop("Changes"), gettext_noop("None"))
DJANGO_ADMIN = (
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
)
DJANGO_AUTH = (
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Reset password"),
    gettext_noop("Set password"),
    gettext_noop("hash"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. "
        "If disabled, they may still be able to authenticate using other backends, "
        "such as Single Sign-On or LDAP."
    ),
)
AXES = (
    gettext_noop("Locked Out"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
)
COMMENTS_XTD = (gettext_noop("Notify follow-up comments"),)
# Permissions other apps declare without marking their names for translation
# (accounts/access.py names the others).
PERMISSIONS = (
    gettext_noop("Can moderate comments"),
    gettext_noop("Django_Comments"),
    gettext_noop("Comments Xtd"),
    gettext_noop("black listed domain"),
    gettext_noop("access attempt expiration"),
)
