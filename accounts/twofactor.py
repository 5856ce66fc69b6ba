"""The second factor: who needs it, enrolment, checking a code, recovery codes, reset.

On django-otp: an enrolled account has one confirmed ``TOTPDevice`` (the authenticator app)
and one ``StaticDevice`` holding its ten single-use recovery codes. A session that passed the
second factor carries the device's id (``django_otp.login``), and ``request.user.is_verified()``
says so on every request (``OTPMiddleware``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.ratelimit import client_ip

audit = logging.getLogger("newsroom.audit")

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
PUBLISH_PERMISSION = "articles.publish_article"
ACCOUNTS_PERMISSION = "auth.change_user"
# Session flag: whether the signed-in account has a confirmed authenticator. Set at sign-in
# and by every change of the second factor (which ends the account's other sessions), so the
# gate costs no query per request.
ENROLLED_SESSION_KEY = "desk_2fa_enrolled"

# Arabic-Indic and Persian digits, as an Arabic keyboard types them, to 0-9.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SEPARATORS = re.compile(r"[\s\-_.\u200c\u200d\u200e\u200f\u061c]+")
_RECOVERY = re.compile(r"^[a-z2-7]{8}$")


# Who needs it


def second_factor_required(user) -> bool:
    """NEWSROOM_REQUIRE_2FA on, and the account publishes, runs accounts or is a superuser.
    Writers and comment moderators may opt in."""
    if not settings.NEWSROOM_REQUIRE_2FA or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and (
        user.has_perm(PUBLISH_PERMISSION) or user.has_perm(ACCOUNTS_PERMISSION)
    )


def app_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).order_by("-id").first()


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def session_enrolled(request) -> bool:
    """Whether the signed-in account has an authenticator, remembered in its session."""
    enrolled = request.session.get(ENROLLED_SESSION_KEY)
    if enrolled is None:
        enrolled = is_enrolled(request.user)
        request.session[ENROLLED_SESSION_KEY] = enrolled
    return enrolled


def refresh_enrolled(request) -> bool:
    """The account's enrolment as the database has it (the pages that act on the factor ask
    this, never the remembered flag alone)."""
    enrolled = is_enrolled(request.user)
    request.session[ENROLLED_SESSION_KEY] = enrolled
    return enrolled


def pending_step(request) -> str | None:
    """What a signed-in session must do before the desk: "verify", "enrol", or nothing."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    if session_enrolled(request):
        return "verify"
    if second_factor_required(user):
        return "enrol"
    return None


@dataclass
class CodeCheck:
    device: object | None = None
    kind: str = ""  # "totp" or "static" (DeskSession.Verification)
    problem: str = ""  # "format", "wrong", "reused", "wait"
    wait_until: datetime | None = None
    codes: list[str] | None = None  # new recovery codes, after an enrolment

    @property
    def ok(self) -> bool:
        return self.device is not None


# Enrolment


def pending_enrolment(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up: the same secret until it is confirmed, so a
    reloaded page shows the QR code already scanned."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code, drawn here (segno): the
    secret never leaves the server for a third-party image service."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="qr-code", lineclass="qr-line"
    )
    return mark_safe(svg)


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for apps without a camera."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(raw: str) -> str:
    return _SEPARATORS.sub("", (raw or "").translate(_DIGITS)).lower()


@transaction.atomic
def confirm_enrolment(*, user, device_id: int, code: str) -> CodeCheck:
    """Confirm the pending authenticator with a code from it: it replaces any earlier one, and
    ten new recovery codes come back in ``check.codes`` (shown once)."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user).first()
    code = normalise_code(code)
    if device is None or device.confirmed:
        return CodeCheck(problem="wrong")
    if not (code.isdigit() and len(code) == 6):
        return CodeCheck(problem="format")
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(problem="wait", wait_until=(info or {}).get("locked_until"))
    if not device.verify_token(code):
        return CodeCheck(problem="wrong")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return CodeCheck(device=device, kind="totp", codes=new_recovery_codes(user=user))


@transaction.atomic
def new_recovery_codes(*, user) -> list[str]:
    """Ten fresh single-use codes; the earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    tokens = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in tokens])
    return tokens


def format_recovery_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def remove_second_factor(*, user) -> int:
    """Delete the account's authenticator and recovery codes; returns how many devices."""
    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    static, _detail = StaticDevice.objects.filter(user=user).delete()
    return removed + static


def reset_second_factor(*, user, by=None, via: str) -> int:
    """For a lost phone: remove the account's authenticator and recovery codes, clear its code
    lockouts and end all its sessions; logged. Returns how many devices were removed."""
    from accounts import sessions
    from accounts.models import DeskSession

    with transaction.atomic():
        removed = remove_second_factor(user=user)
        clear_code_lockouts(user)
        ended = sessions.end_all(user, reason=DeskSession.EndReason.BY_ADMIN, by=by)
    audit.warning(
        "second factor reset",
        extra={"event": "second_factor_reset", "user_id": user.pk,
               "username": user.get_username(), "by": getattr(by, "pk", None), "via": via,
               "devices_removed": removed, "sessions_ended": ended},
    )  # fmt: skip
    return removed


# Checking a code


def check_code(user, raw: str) -> CodeCheck:
    """A code from the app (6 digits, any digits an Arabic keyboard types) or a recovery code
    (8 letters and digits, dashes and spaces ignored). Each is checked against its own device
    only, under django-otp's lock and back-off; an app code is good once (``last_t``), a
    recovery code is deleted when used."""
    code = normalise_code(raw)
    if code.isdigit() and len(code) == 6:
        kind, device = "totp", app_device(user)
    elif _RECOVERY.match(code):
        kind = "static"
        device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    else:
        return CodeCheck(problem="format")
    if device is None:
        return CodeCheck(problem="wrong")
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(problem="wait", wait_until=(info or {}).get("locked_until"))
    verified = django_otp.verify_token(user, device.persistent_id, code)
    if verified is not None:
        return CodeCheck(device=verified, kind=kind)
    if kind == "totp" and device.last_t >= 0 and code == _code_at(device, device.last_t):
        return CodeCheck(problem="reused")
    return CodeCheck(problem="wrong")


def _code_at(device: TOTPDevice, t: int) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = device.t0 + (t - device.drift) * device.step  # TOTP.t() adds the drift
    return f"{totp.token():0{device.digits}d}"


# Throttling: django-axes, under a name of its own


def throttle_credentials(user) -> dict:
    """Wrong codes are counted by django-axes like wrong passwords, per username and address,
    but under "<username>#2fa" (no username contains '#'): a right password resets the
    password count (AXES_RESET_ON_SUCCESS), and must not reset the code count too, or anyone
    holding the password could try four codes, sign in again, and try four more."""
    return {"username": f"{user.get_username()}#2fa"}


def codes_locked(request, user) -> bool:
    return AxesProxyHandler.is_locked(request, throttle_credentials(user))


def code_failed(request, user, problem: str) -> None:
    """Count a wrong code (django-axes may lock the pair: then AxesMiddleware answers 429)."""
    audit.warning(
        "second factor failed",
        extra={"event": "second_factor_failed", "user_id": user.pk,
               "username": user.get_username(), "problem": problem, "ip": client_ip(request)},
    )  # fmt: skip
    AxesProxyHandler.user_login_failed(
        sender=code_failed, credentials=throttle_credentials(user), request=request
    )


def code_passed(request, user) -> None:
    AxesProxyHandler.update_request(request)
    AccessAttempt.objects.filter(
        username=throttle_credentials(user)["username"], ip_address=request.axes_ip_address
    ).delete()


def clear_code_lockouts(user) -> int:
    count, _detail = AccessAttempt.objects.filter(
        username=throttle_credentials(user)["username"]
    ).delete()
    return count


def passed(request, check: CodeCheck) -> None:
    """The session passed the second factor: remember it, with a fresh session key."""
    user = request.user
    django_otp.login(request, check.device)
    request.session.cycle_key()  # a privilege change: the password-only key is retired
    request.session[ENROLLED_SESSION_KEY] = True
    code_passed(request, user)
    from accounts import sessions

    sessions.mark_verified(request, kind=check.kind)
    audit.info(
        "second factor passed",
        extra={"event": "second_factor_passed", "user_id": user.pk, "method": check.kind,
               "ip": client_ip(request)},
    )  # fmt: skip


def wait_message(check: CodeCheck) -> str:
    from django.utils import timezone

    seconds = 1
    if check.wait_until is not None:
        seconds = max(1, int((check.wait_until - timezone.now()).total_seconds() + 0.999))
    return _("Too many wrong codes: wait %(seconds)s seconds before the next try.") % {
        "seconds": seconds
    }


def problem_message(check: CodeCheck) -> str:
    if check.problem == "wait":
        return wait_message(check)
    if check.problem == "reused":
        return _("This code was already used. Wait for the next code in the app.")
    if check.problem == "format":
        return _("Type the 6 digits the app shows, or a recovery code of 8 letters and digits.")
    return _("The code is wrong or has expired. Try the code the app shows now.")
