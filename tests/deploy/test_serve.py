"""`make serve`'s stack for real: nginx in front of gunicorn, DEBUG off, on a free loopback port.

Runs deploy/serve.sh against its own database (the ``stack`` fixture in tests/deploy/conftest.py)
and checks what only the real stack shows: nginx's microcache answers HIT for anonymous pages
and is bypassed with a session cookie, static files are fingerprinted, gzipped and immutable
for a year.
"""

import urllib.request


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_anonymous_pages_come_from_the_microcache(stack):
    statuses = [fetch(stack + "/ar/")[1].get("X-Cache") for _ in range(3)]
    assert statuses[0] == "MISS"
    assert {"HIT", "STALE", "UPDATING"} & set(statuses[1:])
    status, headers, body = fetch(stack + "/ar/")
    assert status == 200
    assert '<html lang="ar" dir="rtl">' in body.decode()
    assert "public" in headers["Cache-Control"]
    assert headers["ETag"]


def test_a_session_cookie_bypasses_every_cache(stack):
    fetch(stack + "/ar/")
    _, headers, _ = fetch(stack + "/ar/", {"Cookie": "sessionid=someone"})
    assert headers["X-Cache"] == "BYPASS"
    assert "private" in headers["Cache-Control"]
    assert "X-Page-Cache" not in headers


def test_static_files_are_fingerprinted_gzipped_and_immutable(stack):
    _, _, body = fetch(stack + "/ar/")
    import re

    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body.decode())
    assert css, "the stylesheet link is not fingerprinted"
    status, headers, _ = fetch(stack + css.group(1), {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers.get("Content-Encoding") == "gzip"
