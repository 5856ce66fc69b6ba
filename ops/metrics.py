"""Operators' metrics in Prometheus' text format: ``GET /metrics/`` with a bearer token.

Off unless ``NEWSROOM_METRICS_TOKEN`` is set (then ``Authorization: Bearer <token>`` is
required; anything else is a 404 or 401, never the figures). Under gunicorn several worker
processes answer: with ``PROMETHEUS_MULTIPROC_DIR`` (an empty folder per app server, made
before it starts; tools/cluster/engines.py does) each scrape adds up every worker's figures.

* ``newsroom_request_seconds{view}``: request latency by URL name (histogram);
* ``newsroom_page_cache_total{result}``: the page cache's ``hit``, ``miss``,
  ``miss-not-stored`` answers (hit ratio = hit / all);
* ``newsroom_views_counted_total``: views answered as counted (``"counted": true``), by the
  WSGI fast path and the Django views alike (counters/services.py ``count_view``);
* ``newsroom_view_lag_seconds``: for each counted view, the time from its arrival at the
  counter to its count committed on the primary (the group commit's queue and the one
  statement; histogram). Views are written synchronously: the answer is sent only after that
  commit, so a view answered as counted is already visible in the primary; the lag between
  the answer and the database is 0 by construction and this is all the lag there is (a page
  read from a replica shows it ``newsroom_replica_lag_seconds`` later). With
  ``NEWSROOM_VIEW_SYNC_COMMIT`` off only the WAL flush to disk is not awaited: a crash of
  PostgreSQL itself can lose the last ~0.6 s of counted views, a killed app server none;
* ``newsroom_replica_lag_seconds{replica}``, ``newsroom_replica_usable{replica}``: each
  replica as this server sees it now (ops/routers.py);
* ``newsroom_job_last_run_age_seconds{job}``, ``newsroom_job_period_seconds{job}``: how long
  since each periodic job last ran anywhere, against its period (ops/jobs.py): an age
  well past the period means no runner is running it.
"""

from __future__ import annotations

import hmac
import os
import threading
import time

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache

from newsroom.client import proxy_report

_metrics = None
_metrics_lock = threading.Lock()


def _instruments():
    """The process's instruments, made once (a second registration of a name raises)."""
    global _metrics
    with _metrics_lock:
        if _metrics is not None:
            return _metrics
        from prometheus_client import Counter, Histogram

        _metrics = {
            "latency": Histogram(
                "newsroom_request_seconds",
                "Request latency by URL name",
                ["view"],
                buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            ),
            "page_cache": Counter(
                "newsroom_page_cache", "Page cache answers by result", ["result"]
            ),
            "views_counted": Counter(
                "newsroom_views_counted", "Views answered as counted (committed on the primary)"
            ),
            "view_lag": Histogram(
                "newsroom_view_lag_seconds",
                "From a counted view's arrival to its count committed on the primary",
                buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            ),
        }
        return _metrics


def view_counted(seconds: float) -> None:
    """One view counted, ``seconds`` after it arrived (nothing unless metrics are on).

    Called by the view counter (counters/services.py) for every view it answers as
    counted, after its commit: the fast path bypasses the middleware.
    """
    if not settings.NEWSROOM_METRICS_TOKEN:
        return
    metrics = _metrics or _instruments()
    metrics["views_counted"].inc()
    metrics["view_lag"].observe(seconds)


class MetricsMiddleware:
    """Times each request and counts page-cache results (installed with a metrics token)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.metrics = _instruments()

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        metrics = self.metrics
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        metrics["latency"].labels(view).observe(time.perf_counter() - started)
        result = response.get("X-Page-Cache")
        if result:
            metrics["page_cache"].labels(result).inc()
        return response


class ClusterCollector:
    """Figures read when scraped: the proxy setting, replicas and periodic jobs."""

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        if settings.NEWSROOM_REPLICA_ALIASES:
            from ops.routers import monitor

            lag = GaugeMetricFamily(
                "newsroom_replica_lag_seconds", "Replica replay lag", labels=["replica"]
            )
            usable = GaugeMetricFamily(
                "newsroom_replica_usable", "1 when the replica is read from", labels=["replica"]
            )
            for alias in settings.NEWSROOM_REPLICA_ALIASES:
                status = monitor.probe(alias)
                if status.lag is not None:
                    lag.add_metric([alias], status.lag)
                usable.add_metric([alias], 1.0 if status.usable else 0.0)
            yield lag
            yield usable
        proxy = proxy_report()
        yield GaugeMetricFamily(
            "newsroom_trusted_proxy_count",
            "NEWSROOM_TRUSTED_PROXY_COUNT: proxies whose X-Forwarded-For is believed",
            value=proxy["trusted_proxy_count"],
        )
        last = GaugeMetricFamily(
            "newsroom_client_address_requests",
            "Requests this process saw in the last full minute, by whether they had an address",
            labels=["address"],
        )
        minute = proxy["last_minute"]
        last.add_metric(["usable"], minute["requests"] - minute["without_address"])
        last.add_metric(["missing"], minute["without_address"])
        yield last
        age = GaugeMetricFamily(
            "newsroom_job_last_run_age_seconds", "Since the job last ran", labels=["job"]
        )
        period = GaugeMetricFamily(
            "newsroom_job_period_seconds", "The job's period", labels=["job"]
        )
        try:
            from django.db.models import Max
            from django.utils import timezone

            from ops.models import JobRun

            last = dict(
                JobRun.objects.using("default")
                .values_list("job")
                .annotate(last=Max("started_at"))
                .values_list("job", "last")
            )
        except Exception:  # the primary is away: report the periods alone
            last = {}
        for job, seconds in settings.NEWSROOM_PERIODIC_JOBS.items():
            period.add_metric([job], float(seconds))
            if job in last:
                age.add_metric([job], (timezone.now() - last[job]).total_seconds())
        yield age
        yield period


@never_cache
def metrics(request):
    """Prometheus' text format, for a scraper holding ``NEWSROOM_METRICS_TOKEN``."""
    token = settings.NEWSROOM_METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        response = HttpResponse("", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    _instruments()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # every gunicorn worker of this server
        from prometheus_client import multiprocess

        workers = CollectorRegistry()
        multiprocess.MultiProcessCollector(workers)
    else:
        workers = REGISTRY
    now = CollectorRegistry()
    now.register(ClusterCollector())
    return HttpResponse(
        generate_latest(workers) + generate_latest(now), content_type=CONTENT_TYPE_LATEST
    )
