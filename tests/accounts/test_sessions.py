"""Signed-in sessions: listed for their owner, ended by the owner or an administrator, and ended
by a change of password or second factor; the session cookie's flags."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.devices import describe_user_agent
from accounts.models import DeskSession
from tests.accounts.conftest import PASSWORD, code_for, enrol, sign_in

pytestmark = pytest.mark.django_db

SESSIONS = "/ar/admin/account/sessions/"
VERIFY = "/ar/admin/account/code/"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"


def signed_in(client):
    response = client.get("/ar/admin/")
    return response.status_code == 200


@pytest.fixture
def two_browsers(writer):
    """The writer (no second factor required) signed in from two devices."""
    office, phone = Client(), Client()
    sign_in(office, "writer", ip="198.51.100.4", agent=CHROME_WINDOWS)
    sign_in(phone, "writer", ip="203.0.113.50", agent=FIREFOX_ANDROID)
    assert signed_in(office) and signed_in(phone)
    return office, phone


def test_user_agents_are_named():
    assert describe_user_agent(CHROME_WINDOWS) == "Chrome على Windows"
    assert describe_user_agent(FIREFOX_ANDROID) == "Firefox على Android"
    assert describe_user_agent("") == "متصفّح غير معروف"


def test_each_user_sees_their_own_sessions(two_browsers, editor):
    office, _phone = two_browsers
    other = Client()
    sign_in(other, "editor", ip="192.0.2.77")  # another account: not listed
    html = office.get(SESSIONS).content.decode()
    assert "Chrome على Windows" in html and "Firefox على Android" in html
    assert "198.51.100.4" in html and "203.0.113.50" in html
    assert "192.0.2.77" not in html
    assert "هذه الجلسة" in html
    assert html.count("كلمة المرور فقط") >= 2  # neither passed a second factor


def test_ending_a_session_signs_that_browser_out(two_browsers, writer):
    office, phone = two_browsers
    phone_session = DeskSession.objects.get(user=writer, ip_address="203.0.113.50")
    response = office.post(reverse("desk_account:end_session", args=[phone_session.pk]))
    assert response.status_code == 302
    assert not signed_in(phone)
    assert signed_in(office)
    phone_session.refresh_from_db()
    assert phone_session.end_reason == "by-user" and phone_session.ended_at is not None
    assert not Session.objects.filter(session_key=phone_session.session_key).exists()
    assert "203.0.113.50" not in office.get(SESSIONS).content.decode()


def test_nobody_ends_another_account_s_session(two_browsers, editor, settings):
    settings.NEWSROOM_REQUIRE_2FA = False
    office, _phone = two_browsers
    intruder = Client()
    sign_in(intruder, "editor")
    target = DeskSession.objects.filter(user__username="writer").first()
    response = intruder.post(reverse("desk_account:end_session", args=[target.pk]))
    assert response.status_code == 404
    assert signed_in(office)


def test_end_all_other_sessions_keeps_this_one(two_browsers):
    office, phone = two_browsers
    office.post(reverse("desk_account:end_others"))
    assert signed_in(office)
    assert not signed_in(phone)


def test_changing_the_password_ends_the_other_sessions(two_browsers, writer):
    office, phone = two_browsers
    response = office.post(
        "/ar/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "نخلة-جديدة-2027-ليلكية",
            "new_password2": "نخلة-جديدة-2027-ليلكية",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert signed_in(office)
    assert not signed_in(phone)
    ended = DeskSession.objects.get(user=writer, ip_address="203.0.113.50")
    assert ended.end_reason == "password"
    # The office session is still open and listed, with its new session key.
    kept = DeskSession.objects.get(user=writer, ip_address="198.51.100.4")
    assert kept.ended_at is None
    assert kept.session_key == office.session.session_key


def test_a_password_set_by_hand_ends_every_session(two_browsers, writer):
    office, phone = two_browsers
    writer.set_password("كلمة-مرور-أخرى-طويلة")
    writer.save()
    assert not signed_in(office) and not signed_in(phone)


def test_new_recovery_codes_end_the_other_sessions(editor):
    device, _codes = enrol(editor)
    first, second = Client(), Client()
    sign_in(first, "editor")
    first.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    sign_in(second, "editor")
    second.post(VERIFY, {"code": code_for(device, steps_ahead=2)})
    assert signed_in(first) and signed_in(second)
    response = first.post(reverse("desk_account:new_codes"))
    assert response.status_code == 302
    assert signed_in(first)
    assert not signed_in(second)
    assert DeskSession.objects.get(user=editor, ended_at=None).verified_with == "totp"


def test_admin_ends_all_sessions_of_an_account(two_browsers, writer, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "b@example.org", PASSWORD)
    device, _codes = enrol(boss)
    admin_client = Client()
    sign_in(admin_client, "boss")
    admin_client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    page = admin_client.get(reverse("admin:auth_user_change", args=[writer.pk]))
    assert "203.0.113.50" in page.content.decode()  # the account's open sessions
    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "end_all_sessions", "_selected_action": [writer.pk]},
    )
    assert response.status_code == 302
    office, phone = two_browsers
    assert not signed_in(office) and not signed_in(phone)
    assert set(DeskSession.objects.filter(user=writer).values_list("end_reason", flat=True)) == {
        "by-admin"
    }


def test_signing_out_is_recorded(client, writer):
    sign_in(client, "writer")
    client.post("/ar/admin/logout/")
    assert DeskSession.objects.get(user=writer).end_reason == "signed-out"


def test_last_seen_moves_at_most_once_a_minute(client, writer):
    import time_machine
    from django.utils import timezone

    sign_in(client, "writer")
    record = DeskSession.objects.get(user=writer)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=30)):
        client.get("/ar/admin/")
    record.refresh_from_db()
    first_seen = record.last_seen
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=5)):
        client.get("/ar/admin/")
    record.refresh_from_db()
    assert record.last_seen > first_seen + timezone.timedelta(minutes=4)


def test_session_cookie_flags(client, writer, settings):
    response = sign_in(client, "writer")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_secure_session_cookie_in_production(monkeypatch):
    import importlib

    import newsroom.settings as project_settings

    monkeypatch.setenv("NEWSROOM_ENV", "production")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "example.sy")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@localhost:5432/n")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.SESSION_COOKIE_SECURE is True
        assert reloaded.SESSION_COOKIE_SAMESITE == "Lax"
        assert reloaded.NEWSROOM_REQUIRE_2FA is True
    finally:
        for name in ("NEWSROOM_ENV", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"):
            monkeypatch.delenv(name)
        importlib.reload(project_settings)
