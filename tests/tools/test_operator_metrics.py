"""The drill's metrics line (tools/cluster/operator_metrics.py): figures over the window
between two scrapes, added up over the app servers, a restarted server counted from zero."""

from tools.cluster.operator_metrics import parse, summary


def exposition(*, requests, slow=0, hits=0, misses=0, views=0, lag_fast=0, replica=(0.2, 1)):
    """An app server's /metrics/ text: ``requests`` answered within 10 ms, ``slow`` within
    100 ms; ``views`` counted, ``lag_fast`` of them committed within 5 ms, the rest in 50 ms."""
    total = requests + slow
    lines = [
        "# TYPE newsroom_request_seconds histogram",
        f'newsroom_request_seconds_bucket{{le="0.01",view="articles:detail"}} {requests}',
        f'newsroom_request_seconds_bucket{{le="0.1",view="articles:detail"}} {total}',
        f'newsroom_request_seconds_bucket{{le="+Inf",view="articles:detail"}} {total}',
        f'newsroom_request_seconds_count{{view="articles:detail"}} {total}',
        f'newsroom_request_seconds_sum{{view="articles:detail"}} {total * 0.005}',
        # the scrapes themselves, slow, never in the figures
        'newsroom_request_seconds_bucket{le="0.01",view="metrics"} 0',
        'newsroom_request_seconds_bucket{le="0.1",view="metrics"} 0',
        'newsroom_request_seconds_bucket{le="+Inf",view="metrics"} 500',
        'newsroom_request_seconds_count{view="metrics"} 500',
        'newsroom_request_seconds_sum{view="metrics"} 5000',
        "# TYPE newsroom_page_cache counter",
        f'newsroom_page_cache_total{{result="hit"}} {hits}',
        f'newsroom_page_cache_total{{result="miss"}} {misses}',
        "# TYPE newsroom_views_counted counter",
        f"newsroom_views_counted_total {views}",
        "# TYPE newsroom_view_lag_seconds histogram",
        f'newsroom_view_lag_seconds_bucket{{le="0.005"}} {lag_fast}',
        f'newsroom_view_lag_seconds_bucket{{le="0.05"}} {views}',
        f'newsroom_view_lag_seconds_bucket{{le="+Inf"}} {views}',
        f"newsroom_view_lag_seconds_count {views}",
        f"newsroom_view_lag_seconds_sum {views * 0.004}",
        "# TYPE newsroom_replica_lag_seconds gauge",
        f'newsroom_replica_lag_seconds{{replica="replica1"}} {replica[0]}',
        "# TYPE newsroom_replica_usable gauge",
        f'newsroom_replica_usable{{replica="replica1"}} {replica[1]}',
        "# TYPE newsroom_job_last_run_age_seconds gauge",
        'newsroom_job_last_run_age_seconds{job="purge_view_readers"} 30',
        'newsroom_job_last_run_age_seconds{job="refresh_search_terms"} 90000',
        "# TYPE newsroom_job_period_seconds gauge",
        'newsroom_job_period_seconds{job="purge_view_readers"} 600',
        'newsroom_job_period_seconds{job="refresh_search_terms"} 86400',
    ]
    return parse("\n".join(lines) + "\n")


def test_the_window_between_two_scrapes_over_both_servers():
    before = {
        "app1": exposition(requests=100, hits=50, misses=50, views=10, lag_fast=10),
        "app2": exposition(requests=100, hits=50, misses=50, views=10, lag_fast=10),
    }
    after = {  # in the window: 40 fast + 60 slow requests, 30 hits of 40, 20 views (8 within 5 ms)
        "app1": exposition(requests=120, slow=30, hits=65, misses=55, views=20, lag_fast=14),
        "app2": exposition(requests=120, slow=30, hits=65, misses=55, views=20, lag_fast=14),
    }
    line = summary(before, after)
    # latency: rank 50 of 100, 40 within 10 ms, then 10 of the 60 up to 100 ms -> 25 ms;
    # view lag: rank 10 of 20, 8 within 5 ms, then 2 of the 12 up to 50 ms -> 12.5 ms
    assert line == (
        "p50 latency 25 ms, cache hit ratio 0.75, counted views 20, view lag p50 0.013 s, "
        "replica lag 0.2 s, jobs overdue 1 of 2"
    )


def test_a_restarted_server_counts_from_zero_and_a_silent_one_is_named():
    before = {
        "app1": exposition(requests=1000, hits=900, misses=100, views=500, lag_fast=500),
        "app2": exposition(requests=10, views=5, lag_fast=5),
    }
    after = {"app1": exposition(requests=4, hits=3, misses=1, views=2, lag_fast=2), "app2": None}
    assert summary(before, after) == (
        "p50 latency 5 ms, cache hit ratio 0.75, counted views 2, view lag p50 0.003 s, "
        "replica lag 0.2 s, jobs overdue 1 of 2, app2 unreachable"
    )


def test_a_replica_nobody_reads_is_down():
    quiet = {"app1": exposition(requests=0, replica=(0.0, 0))}
    assert summary(quiet, quiet) == (
        "p50 latency –, cache hit ratio –, counted views 0, view lag –, "
        "replica lag down (not read from), jobs overdue 1 of 2"
    )
