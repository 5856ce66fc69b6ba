"""Production settings: `check --deploy` is clean, and missing secrets stop the process."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "NEWSROOM_ENV": "production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    # Parsed, never connected to: `check --deploy` needs no database.
    "DATABASE_URL": "postgres://newsroom:secret@db.invalid:5432/newsroom",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_without_warnings_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_check_deploy_warns_in_development_settings():
    """The switch matters: the same check on development settings finds the HTTPS gaps."""
    result = run_manage("check", "--deploy", env={})
    output = result.stdout + result.stderr
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output, output


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_fails_loudly_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set when NEWSROOM_ENV=production" in result.stderr


def test_production_refuses_debug():
    result = run_manage("check", env={**PRODUCTION_ENV, "DJANGO_DEBUG": "1"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be off" in result.stderr


def test_admin_url_is_configurable():
    code = (
        "import django; django.setup(); from django.urls import reverse; "
        "print(reverse('admin:index'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "NEWSROOM_ADMIN_URL": "desk-7f3a",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/ar/desk-7f3a/"


@pytest.mark.parametrize("weak", ["short1!", "123456789012", "password1234", "qwertyuiop12"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_strong_password_is_accepted():
    validate_password("نخلة-دمشق-2026-ليلكية")


@pytest.mark.django_db
def test_statement_timeout_is_set_on_every_connection():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        shown = cursor.fetchone()[0]
    expected_ms = settings.NEWSROOM_DB_STATEMENT_TIMEOUT_MS
    assert expected_ms > 0
    assert shown in {f"{expected_ms}ms", f"{expected_ms // 1000}s", f"{expected_ms // 60000}min"}
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_session_expires_within_a_working_day():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY
