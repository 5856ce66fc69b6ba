"""Language-prefix smuggling and open redirects through next= never leave the site."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EVIL = ("//evil.com", "https://evil.com/", "/\\evil.com", "\\\\evil.com", "http:evil.com",
        "///evil.com", " //evil.com", "//evil.com@testserver/", "https:/\\evil.com")  # fmt: skip


def assert_stays_on_site(response, context):
    if response.status_code not in {301, 302, 303, 307, 308}:
        return
    location = response["Location"]
    parts = urlsplit(location.replace("\\", "/").strip())
    assert parts.netloc in {"", "testserver"}, (context, location)
    assert not location.lstrip().startswith(("//", "\\", "/\\")), (context, location)


@pytest.mark.parametrize(
    "path",
    [
        "/ar/../en/",
        "//evil.com",
        "//evil.com/",
        "/%2F%2Fevil.com",
        "/%2F%2Fevil.com/",
        "/ar//evil.com",
        "/ar/%2F%2Fevil.com",
        "/en/%5C%5Cevil.com",
        "/%5Cevil.com",
        "/evil.com/%2E%2E/",
        "/ar/..%2Fen/",
        "/xx/",
        "/ar-evil/",
    ],
)
def test_paths_never_redirect_off_site(path):
    client = Client(raise_request_exception=False)
    response = client.get(path)
    assert response.status_code in {200, 301, 302, 400, 404}, path
    assert_stays_on_site(response, path)


@pytest.mark.parametrize("next_url", EVIL)
def test_set_language_next_is_never_followed_off_site(next_url):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert_stays_on_site(response, next_url)
    response = client.post(
        "/i18n/setlang/", {"language": "en"}, headers={"referer": next_url.strip()}
    )
    assert_stays_on_site(response, next_url)


@pytest.mark.parametrize("next_url", EVIL)
def test_admin_login_next_is_never_followed_off_site(django_user_model, next_url):
    django_user_model.objects.create_user("desk", password="نخلة-دمشق-2026-ليلكية", is_staff=True)
    client = Client()
    response = client.post(
        f"/ar/admin/login/?next={next_url}",
        {"username": "desk", "password": "نخلة-دمشق-2026-ليلكية", "next": next_url},
    )
    assert response.status_code == 302, response.content[:300]
    assert_stays_on_site(response, next_url)


def test_admin_logout_next_is_never_followed_off_site(admin_client):
    for next_url in EVIL:
        response = admin_client.post(f"/ar/admin/logout/?next={next_url}")
        assert_stays_on_site(response, next_url)


def test_foreign_host_header_is_refused():
    client = Client(raise_request_exception=False)
    response = client.get("/ar/", headers={"host": "evil.com"})
    assert response.status_code == 400
