"""Each app server's metrics endpoint adds up its gunicorn workers: the views it counted (by
the WSGI fast path, outside Django's middleware) and their lag to the primary."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from .conftest import call, make_article
from .test_counter import beacon

pytestmark = pytest.mark.cluster
READERS = 12


def scrape(cluster, base: str) -> dict:
    answer = call(base, "/metrics/", headers={"Authorization": f"Bearer {cluster.metrics_token}"})
    assert answer.status == 200, answer.text[:300]
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def counted(samples: dict) -> tuple[float, float]:
    return (
        samples.get(("newsroom_views_counted_total", ()), 0.0),
        samples.get(("newsroom_view_lag_seconds_count", ()), 0.0),
    )


def test_each_app_server_counts_the_views_it_answered(cluster):
    servers = [app.url for app in cluster.app_servers]
    article = make_article(cluster, "خبر تعدّه المقاييس")
    before = [counted(scrape(cluster, base)) for base in servers]
    # Readers 100.. (test_counter.py's are 0..): each counted once, on alternate servers.
    answers = [beacon(servers[n % 2], article, 100 + n) for n in range(READERS)]
    assert all(answer["counted"] for answer in answers), answers
    beacon(servers[0], article, 100)  # a duplicate: not counted, not measured
    after = [counted(scrape(cluster, base)) for base in servers]
    per_server = READERS // 2
    for (views0, lags0), (views1, lags1) in zip(before, after, strict=True):
        assert (views1 - views0, lags1 - lags0) == (per_server, per_server)
    samples = scrape(cluster, servers[0])
    # Written before the answer: every counted view reached the primary within a second here.
    assert (
        samples[("newsroom_view_lag_seconds_bucket", (("le", "1.0"),))]
        == samples[("newsroom_view_lag_seconds_count", ())]
    )
