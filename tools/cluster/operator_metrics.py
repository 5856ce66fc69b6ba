"""What an operator would read on the dashboards, from the app servers' ``/metrics/``.

``make cluster-drill`` (tools/drills/cluster_drill.py) scrapes every app server before and after
each fault and prints one line for the time since the previous scrape::

    metrics before redis (3.0 s): p50 latency 9 ms, cache hit ratio 0.62, counted views 148,
    view lag p50 0.003 s, replica lag 0.0 s, jobs overdue 0 of 2

* p50 latency: of every request the app servers answered in the window (all URL names but
  ``/metrics/`` itself), from the ``newsroom_request_seconds`` histogram, interpolated within
  its bucket as Prometheus' ``histogram_quantile`` does;
* cache hit ratio: the page cache's hits over all its answers in the window;
* counted views: views answered as counted in the window (``newsroom_views_counted_total``);
* view lag: p50 of ``newsroom_view_lag_seconds`` in the window, the time from a view's arrival
  to its commit on the primary (the answer waits for it: after the answer the lag is 0);
* replica lag: the largest lag an app server sees now; ``down`` when no server reads from
  the replica (stopped, or behind ``NEWSROOM_REPLICA_MAX_LAG_S``);
* jobs overdue: periodic jobs whose last run anywhere is older than their period now (the
  queue of periodic work no runner has taken).

Figures are added up over the app servers; one restarted since the last scrape (a killed
server: a counter went down) counts from zero. A server that does not answer is named
(``app1 unreachable``).
"""

from __future__ import annotations

import math
import urllib.error
import urllib.request
from collections import defaultdict

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]
Snapshot = dict[str, Samples | None]  # app server name -> its samples, None: no answer
IGNORED_VIEWS = {"metrics"}  # the scrapes themselves


def parse(text: str) -> Samples:
    from prometheus_client.parser import text_string_to_metric_families

    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape_one(base: str, token: str, timeout: float = 5.0) -> Samples | None:
    request = urllib.request.Request(
        base + "/metrics/", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return parse(response.read().decode())
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return None


def scrape(cluster) -> Snapshot:
    """Every app server's samples now (``cluster`` is a running deploy.cluster Cluster)."""
    return {app.name: scrape_one(app.url, cluster.metrics_token) for app in cluster.app_servers}


def _series(samples: Samples, name: str, skip_views: bool = False) -> dict:
    """{labels: value} of one sample name (buckets keyed by their labels, ``le`` included)."""
    return {
        labels: value
        for (sample, labels), value in samples.items()
        if sample == name and not (skip_views and dict(labels).get("view") in IGNORED_VIEWS)
    }


def _restarted(before: Samples | None, after: Samples) -> bool:
    """A counter went down: the server started again since ``before`` (its figures anew)."""
    return before is not None and any(
        value < before.get(key, 0.0)
        for key, value in after.items()
        if key[0].endswith(("_total", "_count", "_bucket"))
    )


def _window(before: Samples | None, after: Samples, name: str, skip_views=False) -> dict:
    """A counter or histogram over the window, summed over every label but ``le``."""
    old = _series(before or {}, name, skip_views)
    total: dict[str, float] = defaultdict(float)
    for labels, value in _series(after, name, skip_views).items():
        total[dict(labels).get("le", "")] += value - old.get(labels, 0.0)
    return total


def _quantile(buckets: dict[str, float], q: float) -> float | None:
    """histogram_quantile over cumulative buckets {le: count}; None when nothing was seen."""
    ordered = sorted((float(le), count) for le, count in buckets.items())
    if not ordered or ordered[-1][1] <= 0:
        return None
    rank = q * ordered[-1][1]
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in ordered:
        if count >= rank:
            if math.isinf(bound):
                return lower_bound  # beyond the largest finite bucket: its bound
            if count == lower_count:
                return bound
            return lower_bound + (bound - lower_bound) * (rank - lower_count) / (
                count - lower_count
            )
        lower_bound, lower_count = bound, count
    return lower_bound


def _merge(windows: list[dict]) -> dict:
    merged: dict[str, float] = defaultdict(float)
    for window in windows:
        for key, value in window.items():
            merged[key] += value
    return merged


def summary(before: Snapshot, after: Snapshot) -> str:
    """One line of figures for the window between two snapshots (see the module docstring)."""
    up = {name: samples for name, samples in after.items() if samples is not None}
    before = {
        name: None if _restarted(before.get(name), samples) else before.get(name)
        for name, samples in up.items()
    }
    parts = []
    if up:
        latency = _merge(
            [
                _window(before.get(n), s, "newsroom_request_seconds_bucket", skip_views=True)
                for n, s in up.items()
            ]
        )
        p50 = _quantile(latency, 0.5)
        parts.append(f"p50 latency {p50 * 1000:.0f} ms" if p50 is not None else "p50 latency –")
        cache = _merge([_by_result(before.get(n), s) for n, s in up.items()])
        answers = sum(cache.values())
        ratio = f"{cache.get('hit', 0.0) / answers:.2f}" if answers else "–"
        parts.append(f"cache hit ratio {ratio}")
        views = sum(
            _window(before.get(n), s, "newsroom_views_counted_total").get("", 0.0)
            for n, s in up.items()
        )
        parts.append(f"counted views {views:.0f}")
        lag = _quantile(
            _merge(
                [
                    _window(before.get(n), s, "newsroom_view_lag_seconds_bucket")
                    for n, s in up.items()
                ]
            ),
            0.5,
        )
        parts.append(f"view lag p50 {lag:.3f} s" if lag is not None else "view lag –")
        parts.append(_replicas(up.values()))
        parts.append(_jobs(up.values()))
    parts.extend(f"{name} unreachable" for name, samples in after.items() if samples is None)
    return ", ".join(parts)


def _by_result(before: Samples | None, after: Samples) -> dict[str, float]:
    """The page cache's answers in the window, by result."""
    old = _series(before or {}, "newsroom_page_cache_total")
    figures: dict[str, float] = defaultdict(float)
    for labels, value in _series(after, "newsroom_page_cache_total").items():
        figures[dict(labels)["result"]] += value - old.get(labels, 0.0)
    return figures


def _replicas(servers) -> str:
    lags, usable = [], []
    for samples in servers:
        lags += _series(samples, "newsroom_replica_lag_seconds").values()
        usable += _series(samples, "newsroom_replica_usable").values()
    if not usable:
        return "replica lag – (no replica)"
    if not any(usable):
        return "replica lag down (not read from)"
    return f"replica lag {max(lags, default=0.0):.1f} s"


def _jobs(servers) -> str:
    """Jobs past their period, as the first server that answers sees them."""
    for samples in servers:
        periods = {
            dict(k)["job"]: v for k, v in _series(samples, "newsroom_job_period_seconds").items()
        }
        ages = {
            dict(k)["job"]: v
            for k, v in _series(samples, "newsroom_job_last_run_age_seconds").items()
        }
        overdue = sum(1 for job, period in periods.items() if ages.get(job, math.inf) > period)
        return f"jobs overdue {overdue} of {len(periods)}"
    return "jobs –"
