"""The desk's account pages: the code after the password, enrolment, recovery codes, sessions.

Every view is wrapped in ``admin.site.admin_view`` (staff only, CSRF, never cached) by
accounts/urls.py. The gate (accounts.middleware) lets a password-only session open only
``verify`` and ``enrol`` here.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import sessions, twofactor
from accounts.models import DeskSession

NEW_CODES_SESSION_KEY = "desk_new_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        error_messages={"required": gettext_lazy("Type the code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "dir": "ltr", "autofocus": True,
                   "spellcheck": "false", "autocapitalize": "off", "size": 12}
        ),
    )  # fmt: skip


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _context(request, **extra):
    return {
        **admin.site.each_context(request),
        "second_factor_pending": not request.user.is_verified()
        and twofactor.pending_step(request) is not None,
        "is_nav_sidebar_enabled": False,
        "next": _next_url(request),
        **extra,
    }


def verify(request):
    """The second step of signing in: a code from the app, or a recovery code."""
    user = request.user
    if user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    if not twofactor.refresh_enrolled(request):
        if twofactor.second_factor_required(user):
            return redirect(f"{reverse('desk_account:enrol')}?{request.GET.urlencode()}")
        return HttpResponseRedirect(_next_url(request))
    if twofactor.codes_locked(request, user):
        from axes.helpers import get_lockout_response

        return get_lockout_response(request, None, twofactor.throttle_credentials(user))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = twofactor.check_code(user, form.cleaned_data["code"])
        if check.ok:
            twofactor.passed(request, check)
            if check.kind == "static":
                left = twofactor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; it will not work again. "
                        "%(left)s codes left: make new ones from “Two-factor sign-in”."
                    )
                    % {"left": left},
                )
            return HttpResponseRedirect(_next_url(request))
        if check.problem not in ("wait", "format"):  # a typo or a wait is not a guess
            twofactor.code_failed(request, user, check.problem)
        form.add_error("code", twofactor.problem_message(check))
    return TemplateResponse(
        request,
        "accounts/verify.html",
        _context(request, title=_("Sign-in code"), form=form),
    )


def enrol(request):
    """Set up (or replace) the authenticator app: scan, type one code, get recovery codes."""
    user = request.user
    enrolled = twofactor.refresh_enrolled(request)
    if enrolled and not user.is_verified():  # replacing the factor takes the factor
        return redirect(f"{reverse('desk_account:verify')}?{request.GET.urlencode()}")
    device = twofactor.pending_enrolment(user)
    form = CodeForm(request.POST or None)
    form.fields["code"].widget.attrs.update(inputmode="numeric", pattern="[0-9٠-٩۰-۹ ]*")
    if request.method == "POST" and form.is_valid():
        check = twofactor.confirm_enrolment(
            user=user, device_id=device.pk, code=form.cleaned_data["code"]
        )
        if check.ok:
            twofactor.passed(request, check)
            sessions.end_others(
                user, reason=DeskSession.EndReason.SECOND_FACTOR, keep_request=request
            )
            twofactor.audit.info(
                "second factor enrolled",
                extra={"event": "second_factor_enrolled", "user_id": user.pk,
                       "replaced": enrolled},
            )  # fmt: skip
            request.session[NEW_CODES_SESSION_KEY] = check.codes
            return redirect(
                f"{reverse('desk_account:codes')}?{urlencode({'next': _next_url(request)})}"
            )
        if check.problem in ("wait", "format"):  # not a guess: not counted
            form.add_error("code", twofactor.problem_message(check))
        else:
            twofactor.code_failed(request, user, "enrolment")
            form.add_error(
                "code",
                _(
                    "That code does not match. Check the app shows this account, then type "
                    "its code."
                ),
            )
    return TemplateResponse(
        request,
        "accounts/enrol.html",
        _context(
            request,
            title=_("Set up two-factor sign-in"),
            form=form,
            qr_svg=twofactor.qr_code_svg(device),
            secret=twofactor.secret_for_typing(device),
            replacing=enrolled,
            required=twofactor.second_factor_required(user),
        ),
    )


def codes(request):
    """New recovery codes, shown once."""
    tokens = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not tokens:
        return redirect("desk_account:overview")
    return TemplateResponse(
        request,
        "accounts/codes.html",
        _context(
            request,
            title=_("Your recovery codes"),
            codes=[twofactor.format_recovery_code(t) for t in tokens],
        ),
    )


def overview(request):
    user = request.user
    enrolled = twofactor.refresh_enrolled(request)
    device = twofactor.app_device(user) if enrolled else None
    return TemplateResponse(
        request,
        "accounts/overview.html",
        _context(
            request,
            title=_("Two-factor sign-in"),
            enrolled=enrolled,
            device=device,
            required=twofactor.second_factor_required(user),
            codes_left=twofactor.recovery_codes_left(user) if enrolled else 0,
        ),
    )


@require_POST
def new_codes(request):
    user = request.user
    if not twofactor.refresh_enrolled(request) or not user.is_verified():
        return redirect("desk_account:overview")
    request.session[NEW_CODES_SESSION_KEY] = twofactor.new_recovery_codes(user=user)
    sessions.end_others(user, reason=DeskSession.EndReason.SECOND_FACTOR, keep_request=request)
    twofactor.audit.info(
        "recovery codes renewed", extra={"event": "recovery_codes_renewed", "user_id": user.pk}
    )
    return redirect("desk_account:codes")


@require_POST
def turn_off(request):
    user = request.user
    if twofactor.second_factor_required(user):
        messages.error(
            request, _("Your role requires two-factor sign-in: it cannot be turned off.")
        )
        return redirect("desk_account:overview")
    if twofactor.refresh_enrolled(request) and user.is_verified():
        twofactor.remove_second_factor(user=user)
        request.session[twofactor.ENROLLED_SESSION_KEY] = False
        sessions.end_others(user, reason=DeskSession.EndReason.SECOND_FACTOR, keep_request=request)
        twofactor.audit.info(
            "second factor removed",
            extra={"event": "second_factor_removed", "user_id": user.pk, "by": user.pk},
        )
        messages.success(request, _("Two-factor sign-in is off for your account."))
    return redirect("desk_account:overview")


def session_list(request):
    records = sessions.live(request.user)
    here = sessions.current_id(request)
    return TemplateResponse(
        request,
        "accounts/sessions.html",
        _context(
            request,
            title=_("Signed-in sessions"),
            records=records,
            here=here,
            others=[r for r in records if r.pk != here],
        ),
    )


@require_POST
def end_session(request, pk):
    record = DeskSession.objects.active().filter(pk=pk, user=request.user).first()
    if record is None:
        raise Http404
    if record.pk == sessions.current_id(request):
        messages.info(request, _("This is the session you are using: sign out instead."))
        return redirect("desk_account:sessions")
    sessions.end([record], reason=DeskSession.EndReason.BY_USER, by=request.user)
    messages.success(request, _("The session on %(device)s is ended.") % {"device": record.device})
    return redirect("desk_account:sessions")


@require_POST
def end_other_sessions(request):
    count = sessions.end_others(
        request.user, reason=DeskSession.EndReason.BY_USER, keep_request=request, by=request.user
    )
    messages.success(request, _("Other sessions ended: %(count)s.") % {"count": count})
    return redirect("desk_account:sessions")
