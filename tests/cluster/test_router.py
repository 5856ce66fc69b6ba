"""The database router on a real streaming replica (ops/routers.py).

Replay on the replica is paused, an article is published on the primary: who sees it tells
where each request read. Two app servers of their own render every page (no page cache, no
fragments): one accepts any replica lag, the other skips a replica more than 1 s behind.
"""

import json
import time

import pytest

from ops.routers import READ_PRIMARY_COOKIE
from tools.cluster.engines import AppServer

from .conftest import call, make_article, post_comment

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def servers(cluster):
    env = cluster.env() | {
        "NEWSROOM_PAGE_CACHE": "0",
        "NEWSROOM_FRAGMENT_CACHE": "0",
        "NEWSROOM_REPLICA_CHECK_SECONDS": "0.2",
    }
    folder = cluster.folder / "router"
    tolerant = AppServer(
        "tolerant", folder, env | {"NEWSROOM_REPLICA_MAX_LAG_S": "3600"}, workers=1, jobs=False
    )
    strict = AppServer(
        "strict", folder, env | {"NEWSROOM_REPLICA_MAX_LAG_S": "1"}, workers=1, jobs=False
    )
    for server in (tolerant, strict):
        server.start(wait=False)
    try:
        for server in (tolerant, strict):
            server.wait_healthy()
        yield tolerant.url, strict.url
    finally:
        for server in (tolerant, strict):  # both asked at once, then waited for
            server.ask_to_stop()
        for server in (tolerant, strict):
            server.wait_stopped()


@pytest.fixture(scope="module")
def known(cluster):
    """An article every database has, and a signed-in editor's session."""
    article = make_article(cluster, "خبر قديم على النسخة")
    staff = cluster.shell(
        "import json\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.contrib.sessions.backends.cached_db import SessionStore\n"
        "u = get_user_model().objects.create_user('router-editor', password='x' * 16,"
        " is_staff=True)\n"
        "s = SessionStore()\n"
        "s['_auth_user_id'] = str(u.pk)\n"
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s['_auth_user_hash'] = u.get_session_auth_hash()\n"
        "s.create()\n"
        "print(json.dumps({'session': s.session_key}))\n"
    )
    cluster.replica.catch_up()
    return article, staff["session"]


def test_anonymous_reads_replica_editors_and_writers_read_primary(cluster, servers, known):
    tolerant, strict = servers
    article, session = known
    cluster.replica.query("SELECT pg_wal_replay_pause()")
    paused_at = time.monotonic()
    try:
        new = make_article(cluster, "خبر لم يصل النسخة بعد")
        # An anonymous reader reads the replica, which has not replayed the new article.
        assert call(tolerant, new["url"]).status == 404
        assert call(tolerant, article["url"]).status == 200
        # An editor (session cookie) reads the primary.
        assert call(tolerant, new["url"], cookies={"sessionid": session}).status == 200

        # A reader who just posted reads the primary for a few seconds.
        posted = post_comment(tolerant, article, "تعليق يطلب قراءة ما كتب")
        assert posted.status == 302, posted.text[:500]
        assert posted.cookie(READ_PRIMARY_COOKIE) == "1"
        assert call(tolerant, new["url"], cookies={READ_PRIMARY_COOKIE: "1"}).status == 200
        # Reading never sets it.
        assert call(tolerant, article["url"]).cookie(READ_PRIMARY_COOKIE) is None

        # More than 1 s behind: the strict server skips the replica, its readers see the news.
        time.sleep(max(0.0, 1.5 - (time.monotonic() - paused_at)))
        assert call(strict, new["url"]).status == 200
        health = call(strict, "/health/")
        assert health.status == 200
        assert json.loads(health.body)["replicas"]["replica1"].startswith("skipped: lag")
    finally:
        cluster.replica.query("SELECT pg_wal_replay_resume()")
    cluster.replica.catch_up()
    assert call(tolerant, new["url"]).status == 200
    time.sleep(0.5)  # the strict server's next look finds the replica caught up
    assert json.loads(call(strict, "/health/").body)["replicas"]["replica1"].startswith("ok")


def test_replica_down_is_skipped_never_an_error(cluster, servers, known):
    tolerant, _strict = servers
    article, _session = known
    assert call(tolerant, article["url"]).status == 200  # a connection to the replica is open
    cluster.replica.stop()
    try:
        statuses = [call(tolerant, article["url"]).status for _ in range(10)]
        assert statuses == [200] * 10
        health = call(tolerant, "/health/")
        assert health.status == 200  # the primary and Redis are fine: stay in rotation
        assert json.loads(health.body)["replicas"]["replica1"].startswith("skipped")
    finally:
        cluster.replica.start()
    cluster.replica.catch_up()
