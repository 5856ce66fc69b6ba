"""Database trouble answers 503 in Arabic (never a traceback); the health endpoint tells."""

import io
import json
import logging

import psycopg
import pytest
from django.db import OperationalError, ProgrammingError, connection, connections
from django.test import Client

from articles.views import HomeView
from newsroom.logging import JsonFormatter, RequestContextFilter

pytestmark = pytest.mark.django_db


def lost_connection(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly") from (
        psycopg.OperationalError("server closed the connection unexpectedly")
    )


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_lost_database_is_an_arabic_503_not_a_traceback(client, monkeypatch):
    monkeypatch.setattr(HomeView, "get_context_data", lost_connection)
    response = client.get("/ar/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert "نعود خلال لحظات" in html
    assert "Traceback" not in html and "OperationalError" not in html


def test_statement_timeout_is_a_503(client, monkeypatch):
    def slow(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(2)")

    monkeypatch.setattr(HomeView, "get_context_data", slow)
    assert client.get("/ar/").status_code == 503


def test_a_bug_is_still_a_500(client, monkeypatch):
    def bug(*args, **kwargs):
        raise ProgrammingError("column does not exist")

    monkeypatch.setattr(HomeView, "get_context_data", bug)
    response = client.get("/ar/")
    assert response.status_code == 500
    assert "Traceback" not in response.content.decode()


def test_health_is_ok_as_json(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
        "proxy": {
            "trusted_proxy_count": 0,
            "header": "X-Forwarded-For",
            "last_minute": body["proxy"]["last_minute"],  # this process's traffic
        },
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_fails_without_database(client, monkeypatch):
    monkeypatch.setattr(type(connections["default"]), "cursor", lost_connection)
    response = client.get("/health/")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "fail"
    assert body["checks"]["database"].startswith("fail")


def test_health_fails_without_cache(client, monkeypatch):
    from django.core.cache import caches

    def broken(*args, **kwargs):
        raise ConnectionError("cache gone")

    # The cache object itself, not the module's proxy: the test's settings swap the backend.
    monkeypatch.setattr(caches["default"], "set", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["cache"] == "fail: ConnectionError"


def test_health_fails_with_pending_migrations(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr("ops.views._migrations_ok", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", 0)])
    response = client.get("/health/")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["migrations"] == "fail: 1 pending"


@pytest.fixture
def json_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger("newsroom.requests"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def test_each_request_is_one_json_line(admin_client, admin_user, json_log):
    response = admin_client.get("/ar/admin/", headers={"x-request-id": "lb-1234"})
    assert response["X-Request-ID"] == "lb-1234"
    (line,) = [e for e in json_log() if e["logger"] == "newsroom.requests"]
    assert line["request_id"] == "lb-1234"
    assert line["user_id"] == admin_user.pk
    assert line["path"] == "/ar/admin/"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0


def test_a_forged_request_id_is_replaced(client, json_log):
    response = client.get("/health/", headers={"x-request-id": 'a"b\nc' * 30})
    assert len(response["X-Request-ID"]) == 32


def test_errors_carry_the_request_id_and_traceback(client, monkeypatch, json_log):
    monkeypatch.setattr(HomeView, "get_context_data", lost_connection)
    response = client.get("/ar/?page=2")
    entries = json_log()
    error = next(e for e in entries if e["logger"] == "django.request")
    request_line = next(e for e in entries if e["logger"] == "newsroom.requests")
    assert error["request_id"] == request_line["request_id"] == response["X-Request-ID"]
    assert error["level"] == "ERROR"
    assert "OperationalError" in error["exception"]
    assert request_line["status"] == 503
