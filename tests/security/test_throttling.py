"""Sign-in lockout (django-axes) and the rate-limit mechanism, with Arabic 429 answers."""

import json

import pytest
from axes.models import AccessAttempt, AccessLog
from django.http import HttpResponse
from django.test import Client, RequestFactory

from newsroom.client import client_ip
from newsroom.ratelimit import parse_rate, rate_limit

pytestmark = pytest.mark.django_db
PASSWORD = "نخلة-دمشق-2026-ليلكية"
LOGIN = "/ar/admin/login/"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("desk", password=PASSWORD, is_staff=True)


def attempt(client, username, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_sign_in_locks_after_repeated_failures(settings, staff):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(2):
        assert attempt(client, "desk", "wrong").status_code == 200  # the form, with an error
    locked = attempt(client, "desk", "wrong")
    assert locked.status_code == 429
    assert "محاولات" in locked.content.decode()
    # Even the right password is refused while locked, and nobody is signed in.
    right = attempt(client, "desk", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="desk", ip_address="203.0.113.7").exists()


def test_lockout_is_per_username_and_address(settings, staff):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        attempt(client, "desk", "wrong")
    assert attempt(client, "desk", PASSWORD).status_code == 429
    # The real editor at the office is not locked out by an attacker elsewhere.
    response = attempt(Client(), "desk", PASSWORD, ip="198.51.100.20")
    assert response.status_code == 302


def test_sign_in_and_out_are_in_the_audit_trail(staff, caplog):
    client = Client()
    caplog.set_level("INFO", logger="newsroom.audit")
    attempt(client, "desk", "wrong")
    assert attempt(client, "desk", PASSWORD).status_code == 302
    client.post("/ar/admin/logout/")
    events = [r.event for r in caplog.records if r.name == "newsroom.audit"]
    assert events == ["login_failed", "login", "logout"]
    log = AccessLog.objects.get(username="desk")
    assert log.logout_time is not None


def test_admin_changes_are_in_the_audit_trail(admin_client, caplog):
    from django.contrib.admin.models import LogEntry

    caplog.set_level("INFO", logger="newsroom.audit")
    response = admin_client.post(
        "/ar/admin/articles/section/add/", {"name_ar": "اقتصاد", "slug": "", "order": 3}
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get()
    assert entry.object_repr == "اقتصاد"
    assert [r.event for r in caplog.records if hasattr(r, "event")] == ["admin_action"]


def test_force_login_still_works_for_tests(admin_client):
    assert admin_client.get("/ar/admin/").status_code == 200


@pytest.fixture
def frozen_window():
    """Counters live in fixed windows (time // period): a test straddling a window boundary
    would see its count reset. Stop the clock mid-window."""
    import time_machine

    with time_machine.travel(1_800_000_030, tick=False):
        yield


def test_rate_limit_by_url_name_answers_429_in_arabic(settings, frozen_window):
    settings.NEWSROOM_RATE_LIMIT_ENABLED = True
    from django.urls import resolve

    # Whichever app serves the comment form's URL, its URL name is what the setting lists.
    name = resolve("/ar/comments/post/").view_name
    assert name in settings.NEWSROOM_RATE_LIMITS  # the shipped settings cover it
    settings.NEWSROOM_RATE_LIMITS = {name: "2/60"}
    client = Client()
    statuses = [client.post("/ar/comments/post/", {}).status_code for _ in range(3)]
    assert 429 not in statuses[:2]
    assert statuses[2] == 429
    response = client.post("/ar/comments/post/", {})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "طلبات كثيرة" in response.content.decode()
    # Other pages are not limited by the comment budget.
    assert client.get("/ar/").status_code == 200


def test_rate_limit_answers_json_on_api_paths(settings, frozen_window):
    settings.NEWSROOM_RATE_LIMIT_ENABLED = True
    view = rate_limit("views", rate="1/60")(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    assert view(factory.post("/api/views/1/")).status_code == 200
    response = view(factory.post("/api/views/1/"))
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "طلبات كثيرة" in json.loads(response.content)["error"]


def test_rate_limit_decorator_counts_per_client_and_method(settings, frozen_window):
    settings.NEWSROOM_RATE_LIMIT_ENABLED = True
    view = rate_limit("search", rate="2/60", methods=("GET",))(lambda r: HttpResponse("ok"))
    factory = RequestFactory()
    first = [view(factory.get("/ar/search/", REMOTE_ADDR="192.0.2.1")).status_code for _ in "abc"]
    assert first == [200, 200, 429]
    assert view(factory.get("/ar/search/", REMOTE_ADDR="192.0.2.2")).status_code == 200
    assert view(factory.post("/ar/search/", REMOTE_ADDR="192.0.2.1")).status_code == 200


def test_forged_forwarded_for_does_not_reset_the_limit(settings, frozen_window):
    settings.NEWSROOM_RATE_LIMIT_ENABLED = True
    view = rate_limit("x", rate="1/60")(lambda r: HttpResponse("ok"))
    factory = RequestFactory()
    assert view(factory.post("/", HTTP_X_FORWARDED_FOR="1.1.1.1")).status_code == 200
    assert view(factory.post("/", HTTP_X_FORWARDED_FOR="2.2.2.2")).status_code == 429


def test_client_ip_behind_trusted_proxies(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # the forged 6.6.6.6 is ignored


def test_parse_rate():
    assert parse_rate("5/60") == (5, 60)
    assert parse_rate("100/h") == (100, 3600)


def test_sign_in_session_expires(settings, staff):
    client = Client()
    response = attempt(client, "desk", PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
