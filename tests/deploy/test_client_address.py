"""Readers' addresses through `make serve`'s nginx, as in production (newsroom/client.py).

gunicorn listens on a Unix socket, so Django sees no socket address: the reader's address is
the one nginx appends to X-Forwarded-For. Requests leave from several loopback addresses
(127.0.0.2, 127.0.0.3, …), as readers on several machines would, and each part that keys on
the reader is checked: the view counter, the comments' stored address and per-address
limit, and django-axes' lockout.
"""

import http.client
import json
import re
import secrets
from urllib.parse import urlencode, urlsplit

import pytest

from tests.deploy.conftest import manage_shell

# Each run its own loopback /24 (all of 127/8 is this machine's): the stack's database keeps
# the comments, views and lockouts of earlier runs, and their per-address limits with them.
NET = f"127.{secrets.randbelow(254) + 1}.{secrets.randbelow(256)}"
PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/131.0 Mobile"

SETUP = """
import json, time
import django_comments
from django.contrib.auth import get_user_model
from tests.factories import make_article
out = []
for n in range(3):
    a = make_article(f"خبر عناوين القراء {n} " + %(tag)r)
    form = django_comments.get_form()(a)
    hidden = {k: f.initial for k, f in form.fields.items() if f.initial is not None}
    security = {**hidden, **form.initial, **form.generate_security_data()}
    # A form opened a minute ago: older than NEWSROOM_COMMENTS_MIN_SECONDS.
    stamp = str(int(time.time()) - 60)
    security["timestamp"] = stamp
    security["security_hash"] = form.generate_security_hash(
        security["content_type"], security["object_pk"], stamp)
    out.append({"id": a.pk, "url": a.get_absolute_url(), "security": security})
get_user_model().objects.create_user(%(tag)r, password="correct horse battery", is_staff=True)
print(json.dumps(out, default=str))
"""


class Reader:
    """One reader's browser on one loopback address, talking to nginx."""

    def __init__(self, base: str, address: str):
        parts = urlsplit(base)
        self.base, self.host, self.port, self.address = base, parts.hostname, parts.port, address
        self.cookies: dict[str, str] = {}

    def send(self, method, path, *, form=None, headers=None):
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=20, source_address=(self.address, 0)
        )
        head = {"User-Agent": PHONE, "Origin": self.base, **(headers or {})}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            head["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=head)
            response = connection.getresponse()
            content = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, content
        finally:
            connection.close()

    def view(self, article_id: int) -> dict:
        status, body = self.send("POST", f"/api/views/{article_id}/", form={})
        assert status == 200, body[:300]
        return json.loads(body)

    def comment(self, target: dict, n: int) -> int:
        token = secrets.token_hex(16)
        self.cookies["csrftoken"] = token
        form = {
            **target["security"],
            "name": f"قارئ {self.address}",
            "email": f"reader-{self.address}-{n}@example.org",  # never the per-email limit
            "followup": "",
            "comment": f"تعليق القارئ {self.address} رقم {n}",
            "csrfmiddlewaretoken": token,
            "honeypot": "",
            "post": "1",
        }
        status, _body = self.send("POST", "/ar/comments/post/", form=form)
        return status


@pytest.fixture(scope="module")
def seeded(stack):
    tag = f"addr{secrets.token_hex(3)}"
    articles = json.loads(manage_shell(SETUP % {"tag": tag}).strip().splitlines()[-1])
    return {"base": stack, "articles": articles, "user": tag}


def stored_addresses(article_id: int) -> list[str | None]:
    out = manage_shell(
        "import json\n"
        "from comments.models import ReaderComment\n"
        f"rows = ReaderComment.objects.filter(object_pk='{article_id}').order_by('pk')\n"
        "print(json.dumps([r.ip_address for r in rows]))"
    )
    return json.loads(out.strip().splitlines()[-1])


def test_four_readers_on_four_addresses_are_four_views(seeded):
    article = seeded["articles"][0]
    readers = [Reader(seeded["base"], f"{NET}.{n}") for n in (21, 22, 23, 24)]
    answers = [reader.view(article["id"]) for reader in readers]
    assert [answer["counted"] for answer in answers] == [True, True, True, True]
    # The same reader again (same address, same browser) is one reader.
    again = readers[0].view(article["id"])
    assert again["counted"] is False
    assert again["reason"] == "duplicate"
    assert again["views"] == answers[0]["views"] + 3


def test_a_forged_forwarded_for_does_not_make_a_new_reader(seeded):
    article = seeded["articles"][0]
    reader = Reader(seeded["base"], f"{NET}.31")
    assert reader.view(article["id"])["counted"] is True
    forged = reader.send(
        "POST", f"/api/views/{article['id']}/", form={},
        headers={"X-Forwarded-For": "203.0.113.250"},
    )  # fmt: skip
    assert json.loads(forged[1])["reason"] == "duplicate"  # nginx appends the real address


def test_comments_keep_each_readers_address_and_limit_each_address_alone(seeded):
    article = seeded["articles"][1]
    addresses = [f"{NET}.{n}" for n in range(41, 49)]
    for address in addresses:
        assert Reader(seeded["base"], address).comment(article, 0) in {302, 303}
    assert sorted(stored_addresses(article["id"])) == sorted(addresses)

    # One reader over NEWSROOM_COMMENTS_MAX_PER_IP (5 in the stack) is refused; the next
    # reader, on another address, is not.
    target = seeded["articles"][2]
    busy = Reader(seeded["base"], f"{NET}.51")
    statuses = [busy.comment(target, n) for n in range(6)]
    assert all(status in {302, 303} for status in statuses[:5]), statuses
    assert statuses[5] == 429
    assert Reader(seeded["base"], f"{NET}.52").comment(target, 0) in {302, 303}
    assert stored_addresses(target["id"]).count(f"{NET}.51") == 5


def sign_in(reader: Reader, username: str, password: str) -> int:
    status, body = reader.send("GET", "/ar/admin/login/")
    assert status == 200, body[:300]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token, "no CSRF token on the sign-in page"
    status, _body = reader.send(
        "POST", "/ar/admin/login/",
        form={"username": username, "password": password,
              "csrfmiddlewaretoken": token.group(1).decode(), "next": "/ar/admin/"},
        headers={"Referer": reader.base + "/ar/admin/login/"},
    )  # fmt: skip
    return status


def test_axes_locks_out_one_address_and_not_the_others(seeded):
    username = seeded["user"]
    attacker = Reader(seeded["base"], f"{NET}.61")
    statuses = [sign_in(attacker, username, "wrong") for _ in range(6)]
    assert statuses[-1] == 429, statuses  # AXES_FAILURE_LIMIT (5) failures, then locked out
    # The same user from another address is not locked out: the right password gets in.
    colleague = Reader(seeded["base"], f"{NET}.62")
    assert sign_in(colleague, username, "correct horse battery") == 302
