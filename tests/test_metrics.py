"""The metrics endpoint: off without a token, refused without the right one, and then the
request latency by URL name and the page cache's answers in Prometheus' text format."""

import pytest

pytestmark = pytest.mark.django_db


def test_no_token_no_endpoint(client, settings):
    settings.NEWSROOM_METRICS_TOKEN = ""
    assert client.get("/metrics/").status_code == 404


@pytest.fixture
def metrics_on(settings):
    settings.NEWSROOM_METRICS_TOKEN = "s3cret-token"
    settings.MIDDLEWARE = ["newsroom.metrics.MetricsMiddleware", *settings.MIDDLEWARE]
    return "s3cret-token"


def test_wrong_or_missing_token_is_refused(client, metrics_on):
    assert client.get("/metrics/").status_code == 401
    wrong = client.get("/metrics/", headers={"Authorization": "Bearer not-it"})
    assert wrong.status_code == 401
    assert b"newsroom_" not in wrong.content


def test_latency_by_view_and_page_cache_results(client, metrics_on):
    from tests.factories import make_article

    article = make_article("خبر للقياس")
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    answer = client.get("/metrics/", headers={"Authorization": f"Bearer {metrics_on}"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain")
    text = answer.content.decode()
    assert 'newsroom_request_seconds_count{view="articles:detail"}' in text
    assert 'newsroom_page_cache_total{result="hit"}' in text
    assert 'newsroom_job_period_seconds{job="purge_view_readers"} 600.0' in text
    assert "no-cache" in answer["Cache-Control"] or "no-store" in answer["Cache-Control"]
