"""A changed password ends the account's other sessions.

Django tells every password validator of each password change (``password_changed``, called by
``User.save()`` after ``set_password``), whatever the path: the desk's own form, an
administrator's, ``manage.py changepassword``, a shell. This "validator" accepts every password
and uses that call. The session making the change, if it is the account's own, stays open
(Django's ``update_session_auth_hash`` then gives it a new key).
"""

from django.utils.translation import gettext as _


class EndOtherSessionsOnChange:
    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        from accounts import sessions
        from accounts.models import DeskSession

        sessions.end_others(user, reason=DeskSession.EndReason.PASSWORD)

    def get_help_text(self):
        return _("Changing the password signs the account out everywhere else.")
