"""The Prometheus metrics of the platform (``prometheus-client``), defined once for the process.

Counters and histograms are recorded where things happen (the request wrapper, the hook guard, the worker);
the gauges of what the database holds (pool use, outbox backlog, breached SLA clocks) are read when
``/metrics`` is scraped (:mod:`aftersales.web.metrics`). Labels:

* HTTP metrics: ``method``, ``route`` (the route *template*, ``/api/v1/serials/{serial}``, or
  ``unmatched``) and ``status``; never the tenant or the raw path, whose values are unbounded.
* ``tenant`` (slug) only on metrics whose series are one per tenant at most (backlog, breached clocks, plugin
  failures): bounded by the tenants of the platform, a few hundred, not by traffic.
* ``plugin`` and ``hook`` on plugin failures: bounded by the installed plugins and the contract's hooks.

One process, one registry: several server processes each expose their own (docs/scaling.md says how to
aggregate them with ``PROMETHEUS_MULTIPROC_DIR`` later).
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

disable_created_metrics()  # no ``*_created`` series: one more per labelled series, and Prometheus ignores them

HTTP_REQUESTS = Counter("aftersales_http_requests", "HTTP requests answered, by route template and status",
                        ["method", "route", "status"])
HTTP_LATENCY = Histogram("aftersales_http_request_duration_seconds",
                         "Time from a request's arrival to the end of its answer, by route template",
                         ["method", "route"],
                         buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
DB_UNAVAILABLE = Counter("aftersales_database_unavailable",
                         "Requests answered 503 because the database could not be reached")
DB_POOL = Gauge("aftersales_db_pool_connections",
                "Connections of the database pools: checked_out (in use), idle, overflow, size (configured)",
                ["pool", "state"])
OUTBOX_BACKLOG = Gauge("aftersales_outbox_backlog_messages", "Outbox messages waiting for delivery (pending)",
                       ["tenant"])
OUTBOX_OLDEST_AGE = Gauge("aftersales_outbox_oldest_message_age_seconds",
                          "Age of the oldest pending outbox message", ["tenant"])
SLA_BREACHED = Gauge("aftersales_sla_clocks_breached",
                     "SLA clocks past due and not met, on requests still open", ["tenant"])
WORKER_PASSES = Counter("aftersales_worker_passes", "Worker passes over every active tenant, by outcome",
                        ["outcome"])
WORKER_ITEMS = Counter("aftersales_worker_items", "Items the worker's jobs handled, by job", ["job"])
PLUGIN_FAILURES = Counter("aftersales_plugin_failures",
                          "Hook calls that failed (raised, or answered the wrong type), by plugin and hook",
                          ["plugin", "hook", "tenant"])


def exposition() -> tuple[bytes, str]:
    """The text exposition of every metric of the process, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
