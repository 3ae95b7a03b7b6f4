"""``/metrics``: real requests, hook failures, worker passes and what the database holds move the metrics, and
only operators (or the configured metrics token) may read them."""

from __future__ import annotations

import uuid
from dataclasses import replace

import httpx
from prometheus_client.parser import text_string_to_metric_families

from aftersales.app import create_app
from aftersales.contract.hookspecs import hookimpl
from aftersales.contract.values import BusinessCalendarInfo, PluginSettings, TenantContext, VerticalInfo
from aftersales.db.base import utcnow
from aftersales.demo.seed import seed_demo
from aftersales.errors import PluginFailed
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import OPERATOR
from aftersales.plugins import build_plugin_registry
from aftersales.worker import run_once


def _operator(runtime) -> dict[str, str]:
    principal = Principal(kind="operator", subject="ops@platform", tenant_id=None, scopes=frozenset({OPERATOR}))
    return {"Authorization": f"Bearer {runtime.tokens.issue(principal)}"}


async def scrape(client, runtime) -> dict[tuple[str, frozenset], float]:
    response = await client.get("/metrics", headers=_operator(runtime))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.text) for sample in family.samples}


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_are_for_operators_and_the_metrics_token(client, runtime, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    assert (await client.get("/metrics")).status_code == 401
    refused = await client.get("/metrics", headers=await staff_token(alpha, "admin"))
    assert refused.status_code == 401 and refused.headers["content-type"].startswith("application/problem+json")
    assert (await client.get("/metrics", headers=_operator(runtime))).status_code == 200
    scraper = replace(runtime, settings=replace(runtime.settings, metrics_token="scrape-secret-1"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(scraper)), base_url="http://t") as c:
        assert (await c.get("/metrics", headers={"Authorization": "Bearer scrape-secret-1"})).status_code == 200
        assert (await c.get("/metrics", headers={"Authorization": "Bearer scrape-secret-2"})).status_code == 401


async def test_requests_are_counted_by_route_template_and_status_with_their_latency(
        client, runtime, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    headers = await staff_token(alpha, "admin")
    route = {"method": "GET", "route": "/api/v1/serials/{serial}"}
    before = await scrape(client, runtime)
    for serial in ("490154203237518", "490154203237526", "490154203237518"):
        assert (await client.get(f"/api/v1/serials/{serial}", headers=headers)).status_code == 404
    await client.get("/no/such/route")
    after = await scrape(client, runtime)
    counted = "aftersales_http_requests_total"
    assert value(after, counted, **route, status="404") - value(before, counted, **route, status="404") == 3
    assert value(after, "aftersales_http_request_duration_seconds_count", **route) - \
        value(before, "aftersales_http_request_duration_seconds_count", **route) == 3
    assert value(after, "aftersales_http_request_duration_seconds_sum", **route) > \
        value(before, "aftersales_http_request_duration_seconds_sum", **route)
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert value(after, counted, **unmatched) - value(before, counted, **unmatched) == 1
    assert value(after, "aftersales_db_pool_connections", pool="main", state="size") == runtime.settings.db_pool_size


class Raiser:
    @hookimpl
    def aftersales_vertical_info(self):
        return VerticalInfo(name="raiser", title="Raiser", version="1", description="raises",
                            settings_schema=PluginSettings)

    @hookimpl
    def aftersales_validate_serial(self, tenant, serial, product):
        return 1 / 0


def test_plugin_failures_are_counted_by_plugin_hook_and_tenant():
    from prometheus_client import REGISTRY

    registry = build_plugin_registry(extra_plugins=[("raiser", Raiser())])
    tenant = TenantContext(id=uuid.uuid4(), slug="raiser-co", vertical="raiser", country="DE", currency="EUR",
                           time_zone="Europe/Berlin", locales=("en",),
                           calendar=BusinessCalendarInfo("DE", (6, 7), ("09:00", "17:00")), settings=PluginSettings())
    labels = {"plugin": "raiser", "hook": "aftersales_validate_serial", "tenant": "raiser-co"}
    before = REGISTRY.get_sample_value("aftersales_plugin_failures_total", labels) or 0
    hooks = registry.hooks_for(["raiser"])
    for _ in range(2):
        try:
            hooks.aftersales_validate_serial(tenant=tenant, serial="X1", product=None)
        except PluginFailed:
            pass
    assert REGISTRY.get_sample_value("aftersales_plugin_failures_total", labels) - before == 2


async def test_worker_passes_breached_clocks_and_the_outbox_backlog_are_measured(client, runtime):
    await seed_demo(runtime, password="demo-password-1")
    before = await scrape(client, runtime)
    assert value(before, "aftersales_sla_clocks_breached", tenant="mehr") == 0
    await run_once(runtime, utcnow())  # acts on the demo's breached clock: marks it, and queues its notices
    after = await scrape(client, runtime)
    assert value(after, "aftersales_worker_passes_total", outcome="completed") - \
        value(before, "aftersales_worker_passes_total", outcome="completed") == 1
    handled = "aftersales_worker_items_total"
    assert value(after, handled, job="sweep_breaches") - value(before, handled, job="sweep_breaches") >= 5
    assert value(after, "aftersales_sla_clocks_breached", tenant="mehr") >= 1
    backlog = {slug: value(after, "aftersales_outbox_backlog_messages", tenant=slug) for slug in ("mehr", "carmax")}
    assert all(count >= 1 for count in backlog.values()), backlog  # notices wait: no mail server in the test
    assert value(after, "aftersales_outbox_oldest_message_age_seconds", tenant="mehr") >= 0
