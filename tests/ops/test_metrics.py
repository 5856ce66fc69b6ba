"""The metrics endpoint: off without a token, refused without the right one, and then the
request latency by URL name, the page cache's answers and the counted views with their lag
to the database, in Prometheus' text format."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.django_db


def test_no_token_no_endpoint(client, settings):
    settings.NEWSROOM_METRICS_TOKEN = ""
    assert client.get("/metrics/").status_code == 404


@pytest.fixture
def metrics_on(settings):
    settings.NEWSROOM_METRICS_TOKEN = "s3cret-token"
    settings.MIDDLEWARE = ["ops.metrics.MetricsMiddleware", *settings.MIDDLEWARE]
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


BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"


def scrape(client, token) -> dict:
    """Every sample of the endpoint: {(name, labels as sorted tuples): value}."""
    answer = client.get("/metrics/", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.content.decode())
        for sample in family.samples
    }


def views_figures(client, token) -> tuple[float, float, float]:
    """(counted views, lag observations, lag observations within 1 s)."""
    samples = scrape(client, token)
    return (
        samples.get(("newsroom_views_counted_total", ()), 0.0),
        samples.get(("newsroom_view_lag_seconds_count", ()), 0.0),
        samples.get(("newsroom_view_lag_seconds_bucket", (("le", "1.0"),)), 0.0),
    )


def test_a_counted_view_moves_counted_views_and_their_lag(client, metrics_on):
    from tests.factories import make_article

    article = make_article("خبر يُعدّ")
    counted, lags, quick = views_figures(client, metrics_on)
    answer = client.post(f"/api/views/{article.pk}/", HTTP_USER_AGENT=BROWSER)
    assert answer.json()["counted"] is True
    assert views_figures(client, metrics_on) == (counted + 1, lags + 1, quick + 1)
    # A duplicate, a bot and an unknown article are answered but not counted: nothing moves.
    assert (
        client.post(f"/api/views/{article.pk}/", HTTP_USER_AGENT=BROWSER).json()["reason"]
        == "duplicate"
    )
    client.post(f"/api/views/{article.pk}/", HTTP_USER_AGENT="curl/8.0")
    client.post(f"/api/views/{article.pk + 1000}/", HTTP_USER_AGENT=BROWSER)
    assert views_figures(client, metrics_on) == (counted + 1, lags + 1, quick + 1)


def test_the_fast_path_counts_its_views_too(client, metrics_on):
    """gunicorn's requests to the counter skip Django's middleware (counters/wsgi.py)."""
    from tests.counters.test_fast_path import post
    from tests.factories import make_article

    article = make_article("خبر يُعدّ بلا وسيط")
    counted, lags, _quick = views_figures(client, metrics_on)
    answer = post(article.pk, ua=BROWSER)  # straight to the WSGI callable, as gunicorn does
    assert answer.status_code == 200
    assert answer.json()["counted"] is True
    assert views_figures(client, metrics_on)[:2] == (counted + 1, lags + 1)


def test_views_are_not_measured_without_a_token(client, settings):
    from ops import metrics

    settings.NEWSROOM_METRICS_TOKEN = ""
    before = metrics._instruments()["views_counted"]._value.get()
    metrics.view_counted(0.01)
    assert metrics._instruments()["views_counted"]._value.get() == before
