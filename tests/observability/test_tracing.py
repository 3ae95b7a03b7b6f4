"""Traces: off unless an OTLP endpoint is configured; on, a request is a server span whose trace holds a span for
each database statement and each hook call it made."""

from __future__ import annotations

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from aftersales.app import create_app
from aftersales.observability import tracing
from support.warranty import add_unit, imei


@pytest.fixture
def spans():
    """Tracing on for the test, into memory (the exporter, whose ``get_finished_spans()`` gives them)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.enable(provider)
    yield exporter
    tracing.disable()


async def test_a_request_span_holds_its_database_and_hook_spans(runtime, make_tenant, spans):
    alpha = await make_tenant("alpha")
    serial = imei(7)
    await add_unit(runtime, alpha, serial)
    app = create_app(runtime)
    spans.clear()  # the set-up's own statements and hook calls
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local") as c:
        response = await c.post("/public/t/alpha/warranty/check", json={"serial": serial})
    assert response.status_code == 200
    finished = spans.get_finished_spans()
    [server] = [s for s in finished if s.kind == SpanKind.SERVER]
    assert server.name == "POST /public/t/{tenant_slug}/warranty/check", "the route, not the tenant's own path"
    assert server.attributes["http.route"] == "/public/t/{tenant_slug}/warranty/check"
    by_id = {s.context.span_id: s for s in finished}

    def under_server(span) -> bool:
        while span.parent is not None:
            if span.parent.span_id == server.context.span_id:
                return True
            span = by_id.get(span.parent.span_id)
            if span is None:
                return False
        return False

    statements = [s for s in finished if s.kind == SpanKind.CLIENT and s.attributes.get("db.statement")]
    hooks = [s for s in finished if s.name.startswith("hook aftersales_")]
    assert statements and all(under_server(s) for s in statements)
    assert hooks and all(under_server(s) for s in hooks)
    assert {s.attributes["aftersales.tenant"] for s in hooks} == {"alpha"}
    assert {s.attributes["db.statement"].split()[0] for s in statements} >= {"SELECT", "INSERT"}


def test_tracing_is_off_unless_an_endpoint_is_configured(runtime):
    assert tracing.configured_endpoint({}) is None
    assert tracing.configured_endpoint({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}) == \
        "http://collector:4318"
    assert tracing.configured_endpoint({"AFTERSALES_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"}) \
        is None
    app = create_app(runtime)
    assert tracing.tracer is None and "OpenTelemetryPlugin" not in {type(p).__name__ for p in app.plugins}


def test_an_endpoint_turns_tracing_on_with_an_otlp_exporter(monkeypatch):
    monkeypatch.setenv("AFTERSALES_OTLP_ENDPOINT", "http://127.0.0.1:4318/")
    try:
        assert tracing.configure() and tracing.tracer is not None
        [processor] = tracing._provider._active_span_processor._span_processors
        assert processor._batch_processor._exporter._endpoint == "http://127.0.0.1:4318/v1/traces"
    finally:
        tracing.disable()
