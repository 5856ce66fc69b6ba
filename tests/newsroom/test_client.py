"""The client's address (newsroom/client.py): one function, one setting, never exempt."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from newsroom import client as clientaddr
from newsroom.client import client_ip, client_key
from tests.comments.conftest import form_data
from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "203.0.113.9", "198.51.100.7"),  # no header believed
        (1, "", "203.0.113.9", "203.0.113.9"),  # nginx on a Unix socket
        (1, "", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the forged left part is ignored
        (2, "", "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),  # a CDN, then nginx
        (2, "10.0.0.3", "203.0.113.9", "10.0.0.3"),  # fewer entries than proxies: the socket
        (1, "", "2001:db8::1", "2001:db8::1"),
        (1, "", "not-an-address", None),  # nothing usable
        (1, "", "", None),
        (0, "", "", None),
        (1, "198.51.100.7", "", "198.51.100.7"),  # straight to the app server
    ],
)
def test_the_address_behind_trusted_proxies(settings, proxies, remote, forwarded, expected):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
    # The WSGI fast path asks with the environ itself: the same answer.
    assert client_ip(request.META) == expected
    assert client_key(request) == (expected or "unknown")


def test_only_x_forwarded_for_is_believed(settings):
    """Headers any client can send (X-Real-IP, CF-Connecting-IP) are never read."""
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="", HTTP_X_REAL_IP="1.2.3.4", HTTP_CF_CONNECTING_IP="1.2.3.5"
    )
    assert client_ip(request) is None


@pytest.mark.django_db
def test_views_without_an_address_are_still_counted_and_told_apart_by_browser(settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    article = make_article()
    anonymous = Client(REMOTE_ADDR="")
    first = anonymous.post(f"/api/views/{article.pk}/", HTTP_USER_AGENT=BROWSER)
    assert first.json()["counted"] is True
    again = anonymous.post(f"/api/views/{article.pk}/", HTTP_USER_AGENT=BROWSER)
    assert again.json()["reason"] == "duplicate"


@pytest.mark.django_db
def test_comments_without_an_address_are_still_limited(settings):
    """No address is one shared key, not a free pass around NEWSROOM_COMMENTS_MAX_PER_IP."""
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    settings.NEWSROOM_COMMENTS_MAX_PER_IP = 2
    article = make_article()
    anonymous = Client(REMOTE_ADDR="")
    statuses = [
        anonymous.post(
            "/ar/comments/post/", form_data(article, email=f"n{n}@example.com", comment=f"ت {n}")
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    from comments.models import ReaderComment

    assert list(ReaderComment.objects.values_list("ip_address", flat=True)) == [None, None]
    # A reader whose address nginx passed on is not caught in that shared limit.
    reader = Client(REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="203.0.113.40")
    answer = reader.post("/ar/comments/post/", form_data(article, email="x@example.com"))
    assert answer.status_code == 302
    assert ReaderComment.objects.filter(ip_address="203.0.113.40").count() == 1


def test_most_requests_without_an_address_log_one_warning(caplog):
    watch = clientaddr._Watch()
    with caplog.at_level(logging.WARNING, logger="newsroom.client"):
        for second in range(30):  # a minute where 25 of 30 requests had no address
            watch.observe(second >= 25, now=60 * 100 + second)
        watch.observe(True, now=60 * 101)  # the next minute closes it
        for second in range(30):  # the same again: still one warning in all
            watch.observe(False, now=60 * 101 + 1 + second)
        watch.observe(True, now=60 * 102)
    warnings = [r for r in caplog.records if r.name == "newsroom.client"]
    assert len(warnings) == 1
    assert "NEWSROOM_TRUSTED_PROXY_COUNT" in warnings[0].getMessage()
    assert watch.report()["last_minute"] == {"requests": 31, "without_address": 30}


def test_a_few_requests_without_an_address_log_nothing(caplog):
    watch = clientaddr._Watch()
    with caplog.at_level(logging.WARNING, logger="newsroom.client"):
        for second in range(40):
            watch.observe(second % 4 != 0, now=60 * 200 + second)  # a quarter without
        watch.observe(True, now=60 * 201)
    assert not [r for r in caplog.records if r.name == "newsroom.client"]
    assert watch.report()["last_minute"] == {"requests": 40, "without_address": 10}


@pytest.mark.django_db
def test_health_reports_the_proxy_setting(client, settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 2
    body = client.get("/health/").json()
    assert body["proxy"]["trusted_proxy_count"] == 2
    assert body["proxy"]["header"] == "X-Forwarded-For"
    assert set(body["proxy"]["last_minute"]) == {"requests", "without_address"}


@pytest.mark.django_db
def test_metrics_report_the_proxy_setting(client, settings):
    settings.NEWSROOM_METRICS_TOKEN = "t0ken"
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    text = client.get("/metrics/", headers={"Authorization": "Bearer t0ken"}).content.decode()
    assert "newsroom_trusted_proxy_count 1.0" in text
    assert 'newsroom_client_address_requests{address="missing"}' in text


@pytest.mark.parametrize(
    ("env", "expected", "warned"),
    [
        ({"NEWSROOM_PROXY_COUNT": "2"}, 2, True),  # the old name, still read, with a warning
        ({"NEWSROOM_PROXY_COUNT": "2", "NEWSROOM_TRUSTED_PROXY_COUNT": "1"}, 1, False),
        ({"NEWSROOM_TRUSTED_PROXY_COUNT": "3"}, 3, False),
        ({}, 0, False),
    ],
)
def test_one_setting_and_the_deprecated_name(env, expected, warned):
    clean = {k: v for k, v in os.environ.items() if "PROXY_COUNT" not in k and k != "NEWSROOM_ENV"}
    done = subprocess.run(
        [sys.executable, "-W", "always", "-c",
         "from django.conf import settings; print(settings.NEWSROOM_TRUSTED_PROXY_COUNT); "
         "print(hasattr(settings, 'NEWSROOM_PROXY_COUNT'))"],
        cwd=ROOT, env={**clean, **env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(expected), "False"]
    assert ("NEWSROOM_PROXY_COUNT is deprecated" in done.stderr) is warned


def test_one_owner_reads_the_clients_address():
    """No module but newsroom/client.py reads the socket's address or the forwarded header,
    and no other module defines a ``client_ip`` of its own (the bug of three copies)."""
    readers, definitions = [], []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "node_modules/", ".pgdata/")):
            continue
        text = path.read_text(encoding="utf-8")
        if "REMOTE_ADDR" in text or "X_FORWARDED_FOR" in text:
            readers.append(relative)
        if "def client_ip(" in text:
            definitions.append(relative)
    assert readers == ["newsroom/client.py"]
    assert definitions == ["newsroom/client.py"]
