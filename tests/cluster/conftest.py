"""One cluster of real engines for the ``cluster`` tests (tools/cluster/engines.py).

Started once per test session, only when a cluster test runs (about 10 s): PostgreSQL primary
and a streaming replica, redis-server, moto's S3 server, two gunicorn app servers with their
job runners, nginx. A test skips, with the reason, only when an engine cannot start here.
"""

import http.client
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tools.cluster.engines import Cluster, EngineUnavailable

# The tests send many requests from one address, quickly: request rate limits are not the
# subject. The comment limits keep their defaults (test_counter.py posts past the per-address
# one through nginx).
QUIET = {
    "NEWSROOM_RATE_LIMIT_ENABLED": "0",
    "NEWSROOM_COMMENTS_MIN_SECONDS": "0",
    "NEWSROOM_COMMENTS_HOLD_FIRST": "0",
    # The app servers' own job runners run once at start; tests/cluster/test_jobs.py runs its own.
    "NEWSROOM_JOBS_TICK_SECONDS": "3600",
    # A replica more than a second behind is skipped, looked at twice a second: pages are kept
    # from 2 s after a change (NEWSROOM_PAGE_CACHE_SKEW_SECONDS follows these two).
    "NEWSROOM_REPLICA_MAX_LAG_S": "1",
    "NEWSROOM_REPLICA_CHECK_SECONDS": "0.5",
}


def dump_of_template(folder: Path, django_db_blocker) -> Path | None:
    """A plain pg_dump of the tests' migrated template (tests/template_db.py): the cluster's
    primary starts from it instead of migrating every app from zero (8 s of CPU). None when
    pg_dump cannot read it (another server's version): the cluster then migrates."""
    from django.db import connection
    from pgserver._commands import POSTGRES_BIN_PATH

    from tests.template_db import use_template

    with django_db_blocker.unblock():
        template = use_template()
    server = connection.settings_dict
    dump = folder / "template.sql"
    done = subprocess.run(
        [
            *(str(POSTGRES_BIN_PATH / "pg_dump"), "--no-owner", "--no-privileges", "-f", dump),
            *("-h", server["HOST"] or "localhost", "-U", server["USER"] or "postgres"),
            *("-p", str(server["PORT"] or 5432), "-d", template),
        ],
        env={**os.environ, "PGPASSWORD": server["PASSWORD"] or ""},
        capture_output=True,
        timeout=120,
    )
    return dump if done.returncode == 0 else None


@pytest.fixture(scope="session")
def cluster(django_db_blocker):
    folder = Path(tempfile.mkdtemp(prefix="newsroom-cluster-tests-"))
    seed = dump_of_template(folder, django_db_blocker)
    running = Cluster(folder, extra_env=QUIET, seed=seed, log=lambda message: None)
    try:
        running.start()
    except EngineUnavailable as exc:
        running.stop()
        shutil.rmtree(folder, ignore_errors=True)
        print(f"\ncluster tests skipped: {exc}")  # noqa: T201 - the reason, on the terminal
        pytest.skip(f"a cluster engine cannot start here: {exc}")
    yield running
    running.stop()
    shutil.rmtree(folder, ignore_errors=True)


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()
        self.text = self.body.decode("utf-8", "replace")

    def cookie(self, name: str) -> str | None:
        for header in self.headers.get_all("Set-Cookie") or []:
            key, _sep, rest = header.partition("=")
            if key.strip() == name:
                return rest.split(";", 1)[0]
        return None


def call(
    base: str, path: str, *, method="GET", body=None, headers=None, cookies=None, source=None
) -> Answer:
    """One HTTP request, no redirect followed, no cookie kept; from loopback address
    ``source`` (a reader's machine) when given."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=30, source_address=(source, 0) if source else None
    )
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None and not isinstance(body, bytes):
        from urllib.parse import urlencode

        body = urlencode(body).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    try:
        connection.request(method, path, body=body, headers=headers)
        return Answer(connection.getresponse())
    finally:
        connection.close()


# Makes an article in the cluster's primary and prints what a reader's browser would hold.
ARTICLE_SETUP = """
import json
import django_comments
from tests.factories import make_article
a = make_article({title!r})
form = django_comments.get_form()(a)
hidden = {{k: f.initial for k, f in form.fields.items() if f.initial is not None}}
print(json.dumps({{"id": a.pk, "url": a.get_absolute_url(),
    "security": {{**hidden, **form.initial, **form.generate_security_data()}}}}, default=str))
"""


def make_article(cluster, title: str) -> dict:
    return cluster.shell(ARTICLE_SETUP.format(title=title))


def comment_form(article: dict, text: str, token: str = "0" * 32) -> dict:
    return {
        **article["security"],
        "name": "قارئ",
        "email": "reader@example.org",
        "followup": "",
        "comment": text,
        "csrfmiddlewaretoken": token,
        "honeypot": "",
        "post": "1",
    }


def post_comment(base: str, article: dict, text: str, *, source=None, email=None) -> Answer:
    token = "a" * 32
    form = comment_form(article, text, token)
    if email:
        form["email"] = email
    return call(
        base,
        "/ar/comments/post/",
        method="POST",
        body=form,
        headers={"Origin": base, "Referer": base + article["url"]},
        cookies={"csrftoken": token},
        source=source,
    )
