"""An app server's health answers 503 while it cannot reach Redis or the primary (the load
balancer takes it out), while its pages keep coming: from PostgreSQL without Redis, from the
replica without the primary."""

import json

import pytest

from .conftest import call, make_article

pytestmark = pytest.mark.cluster


def health(base: str) -> tuple[int, dict]:
    answer = call(base, "/health/")
    return answer.status, json.loads(answer.body)


def test_redis_away_is_a_503_health_and_no_broken_page(cluster):
    app = cluster.app_servers[0].url
    article = make_article(cluster, "خبر بلا ذاكرة مؤقتة")
    cluster.replica.catch_up()
    assert health(app)[0] == 200
    cluster.redis.stop()
    try:
        status, body = health(app)
        assert status == 503
        assert body["checks"]["cache"].startswith("fail")
        assert body["checks"]["database"] == "ok"
        for _ in range(3):
            page = call(app, article["url"])
            assert page.status == 200
            assert "خبر بلا ذاكرة مؤقتة" in page.text
    finally:
        cluster.redis.start()
    assert health(app)[0] == 200


def test_primary_away_is_a_503_health_while_readers_read_the_replica(cluster):
    app = cluster.app_servers[1].url
    article = make_article(cluster, "خبر من النسخة والخادم الرئيسي متوقف")
    cluster.replica.catch_up()
    cluster.primary.stop()
    try:
        status, body = health(app)
        assert status == 503
        assert body["checks"]["database"].startswith("fail")
        cluster.redis.flush()  # no kept page or fragment: the page is read from a database
        page = call(app, article["url"])
        assert page.status == 200
        assert "خبر من النسخة" in page.text
    finally:
        cluster.primary.start()
    for _ in range(20):  # the broken connections are replaced on the next requests
        if health(app)[0] == 200:
            break
    assert health(app)[0] == 200


def test_metrics_add_up_the_workers_and_show_the_replica(cluster):
    app = cluster.app_servers[0].url
    for _ in range(6):  # spread over the app server's workers
        assert call(app, "/ar/").status == 200
    answer = call(app, "/metrics/", headers={"Authorization": f"Bearer {cluster.metrics_token}"})
    assert answer.status == 200
    lines = answer.text.splitlines()
    home = [line for line in lines if line.startswith('newsroom_request_seconds_count{view="')]
    assert any('"articles:home"' in line and float(line.split()[-1]) >= 6 for line in home), home
    assert 'newsroom_replica_usable{replica="replica1"} 1.0' in lines
    lag = 'newsroom_replica_lag_seconds{replica="replica1"}'
    assert any(line.startswith(lag) for line in lines)
    assert call(app, "/metrics/").status == 401
