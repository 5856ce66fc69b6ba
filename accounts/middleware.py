"""The second-factor gate and the sessions' "last seen".

A session signed in with the password alone, for an account that has an authenticator or must
have one (``NEWSROOM_REQUIRE_2FA``), reaches no desk page but the code page, enrolment and
signing out; on the reading site it is a reader like any other (no draft previews). Placed
after django-otp's ``OTPMiddleware``.
"""

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from accounts import sessions, twofactor

# Desk URLs a session may open before its second factor.
OPEN_BEFORE_SECOND_FACTOR = {
    "admin:login",
    "admin:logout",
    "admin:jsi18n",
    "desk_account:verify",
    "desk_account:enrol",
}
DESK_NAMESPACES = {"admin", "desk_account"}


class DeskAccountsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        sessions.after_request(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        step = twofactor.pending_step(request)
        if step is None:
            return None
        match = request.resolver_match
        if match is None or match.namespace not in DESK_NAMESPACES:
            request.user = AnonymousUser()  # the reading site: a reader, nothing more
            return None
        if match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        target = reverse("desk_account:verify" if step == "verify" else "desk_account:enrol")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
