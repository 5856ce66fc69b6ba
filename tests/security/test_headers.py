"""Security headers on real responses, and templates that a strict CSP can serve."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import image_upload, make_article

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def pages(admin_user):
    article = make_article("خبر للفحص", image=image_upload())
    with translation.override("ar"):
        return {
            "home": reverse("articles:home"),
            "article": article.get_absolute_url(),
            "admin login": reverse("admin:login"),
            "not found": "/ar/no-such-page/",
            "health": "/health/",
        }


def test_every_page_has_the_security_headers(client, pages):
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in {200, 404}, name
        directives = csp_directives(response)
        script_src = directives.get("script-src", directives.get("default-src"))
        assert script_src == ["'self'"], (name, script_src)
        assert "'unsafe-inline'" not in script_src, name
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], name
        if name != "admin login":  # staff pages allow inline styles (editor, language tabs)
            assert directives["style-src"] == ["'self'"], name
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["base-uri"] == ["'self'"]
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"]), name


def test_admin_pages_have_the_policy_too(admin_client):
    response = admin_client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    # Django's admin loads its JavaScript from files; an inline block would be blocked.
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert any("src=" in tag for tag in scripts)
    inline = [t for t in scripts if "src=" not in t and "application/json" not in t]
    # The rich-text editor's import map is the one inline block: allowed by its exact hash.
    assert inline == ['<script type="importmap">']
    block = re.search(r'<script type="importmap">(.*?)</script>', html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", response["Content-Security-Policy"]).group(1)
    assert "'unsafe-inline'" not in script_src


def test_site_pages_have_no_inline_script_or_handlers(client, pages):
    for name in ("home", "article", "not found"):
        html = client.get(pages[name]).content.decode()
        inline = [
            tag
            for tag in re.findall(r"<script\b[^>]*>", html)
            if "src=" not in tag
            and 'type="application/json"' not in tag
            and 'type="application/ld+json"' not in tag  # data for search engines, never run
        ]
        assert inline == [], name
        assert not re.search(r"\son[a-z]+\s*=", html), name
        assert not re.search(r"\sstyle\s*=", html), name


def test_no_template_has_inline_script_handlers_or_styles():
    """Every project template (including ones added later) stays servable under the CSP."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag:
                offenders.append(f"{path.name}: inline {tag}")
        if re.search(r"<[a-z][^>]*\son[a-z]+\s*=", text):
            offenders.append(f"{path.name}: on*= handler")
        if re.search(r"<[a-z][^>]*\sstyle\s*=", text):
            offenders.append(f"{path.name}: style= attribute")
    assert offenders == []


def test_uploaded_images_are_served_inline_but_sandboxed(client):
    article = make_article("صورة", image=image_upload())
    response = client.get(article.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == "inline"


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("evil.html", b"<script>alert(document.cookie)</script>"),
        ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("shell.php", b"<?php system($_GET['c']); ?>"),
        ("no-extension", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_other_media_files_are_downloads_never_pages(client, settings, name, body):
    folder = Path(settings.MEDIA_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(body)
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_media_path_cannot_escape_media_root(client):
    for path in ("/media/../newsroom/settings.py", "/media/%2e%2e/newsroom/settings.py"):
        response = client.get(path)
        assert response.status_code in {400, 404}
        assert b"SECRET_KEY" not in response.content


def test_https_switches_are_on_in_production_settings_only(settings):
    # The development process (this test run) serves plain http on 127.0.0.1.
    assert settings.PRODUCTION is False
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SESSION_COOKIE_SECURE is False


def test_https_redirect_spares_the_health_probe(settings):
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    response = client.get("/ar/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/ar/"
    assert client.get("/health/").status_code == 200
    # Behind the TLS proxy, requests marked https are served.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert Client().get("/ar/", headers={"x-forwarded-proto": "https"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "data"),
    [("/ar/comments/post/", {"comment": "x"}), ("/ar/admin/login/", {"username": "a"})],
)
def test_csrf_failure_is_an_arabic_403_the_csp_can_serve(path, data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path, data)
    assert response.status_code == 403
    html = response.content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert "<style" not in html  # Django's own page has an inline style the CSP would block
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
