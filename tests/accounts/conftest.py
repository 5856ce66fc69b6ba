import time

import pytest
from django.test import Client
from django_otp.oath import TOTP

from accounts import twofactor
from tests.articles.desk_helpers import make_staff

PASSWORD = "pw-desk-12345"
LOGIN = "/ar/admin/login/"
EDITORS = "المحررون"
WRITERS = "كتّاب الأخبار"


@pytest.fixture(autouse=True)
def _second_factor_required(settings):
    """As in production: editors, account admins and superusers must have a second factor."""
    settings.NEWSROOM_REQUIRE_2FA = True


def code_for(device, at=None, steps_ahead=0) -> str:
    """The code the authenticator app shows now (or ``steps_ahead`` steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = (at or time.time()) + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, username, password=PASSWORD, ip="203.0.113.9", agent="Mozilla/5.0"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT=agent,
    )


def enrol(user):
    """Set up an authenticator for ``user`` as the enrolment page does; returns the device
    and the ten recovery codes."""
    device = twofactor.pending_enrolment(user)
    check = twofactor.confirm_enrolment(user=user, device_id=device.pk, code=code_for(device))
    assert check.ok
    codes = check.codes
    device.refresh_from_db()
    # The enrolment used this step's code: later sign-ins need a later one.
    return device, codes


@pytest.fixture
def editor(db):
    return make_staff(EDITORS, username="editor")


@pytest.fixture
def writer(db):
    return make_staff(WRITERS, username="writer")


@pytest.fixture
def client():
    return Client()
