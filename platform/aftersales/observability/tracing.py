"""OpenTelemetry traces around requests, database statements and hook calls, exported by OTLP when configured.

Off by default: unless an endpoint is configured (``AFTERSALES_OTLP_ENDPOINT``, or OpenTelemetry's own
``OTEL_EXPORTER_OTLP_ENDPOINT`` / ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``), nothing is imported from
OpenTelemetry, no middleware or engine listener is installed, and a hook call costs one check of
:data:`tracer`. The packages are the optional extra ``aftersales[tracing]``.

On, :func:`configure` builds a tracer provider exporting in batches over OTLP/HTTP; the app adds Litestar's
OpenTelemetry plugin (a span per request, :func:`litestar_plugins`), :func:`instrument_engines` a span per
statement (``opentelemetry-instrumentation-sqlalchemy``), and the hook guard a span per hook call.
"""

from __future__ import annotations

import os
import weakref
from typing import Any

tracer: Any = None
"""The tracer of the process, or None while tracing is off (what hot paths check)."""
_provider: Any = None
_instrumented: weakref.WeakSet[Any] = weakref.WeakSet()


def configured_endpoint(environ: dict[str, str] | os._Environ[str] = os.environ) -> str | None:
    """The OTLP endpoint tracing exports to, or None (off). ``OTEL_SDK_DISABLED=true`` turns it off."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    return (environ.get("AFTERSALES_OTLP_ENDPOINT") or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            or environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or None)


def configure() -> bool:
    """Turn tracing on with an OTLP/HTTP exporter when an endpoint is configured (once per process); returns
    whether tracing is on."""
    if tracer is not None:
        return True
    endpoint = configured_endpoint()
    if endpoint is None:
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    ours = os.environ.get("AFTERSALES_OTLP_ENDPOINT")
    # OpenTelemetry's own variables are read by the exporter (headers, the /v1/traces suffix); ours is a base URL
    exporter = OTLPSpanExporter(endpoint=ours.rstrip("/") + "/v1/traces") if ours else OTLPSpanExporter()
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: os.environ.get("OTEL_SERVICE_NAME",
                                                                                     "aftersales")}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    enable(provider)
    return True


def enable(provider: Any) -> None:
    """Trace with ``provider`` (an OpenTelemetry ``TracerProvider``; tests pass one with an in-memory exporter)."""
    global tracer, _provider
    _provider = provider
    tracer = provider.get_tracer("aftersales")


def disable() -> None:
    """Stop tracing: flush what the provider holds and remove the engine listeners :func:`instrument_engines`
    installed."""
    global tracer, _provider
    if _provider is None:
        return
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    EngineTracer.remove_all_event_listeners()
    _instrumented.clear()
    _provider.force_flush()
    tracer = _provider = None


def litestar_plugins() -> list[Any]:
    """Litestar's OpenTelemetry plugin (a server span around each request) when tracing is on, else nothing."""
    if _provider is None:
        return []
    from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin

    return [OpenTelemetryPlugin(OpenTelemetryConfig(tracer_provider=_provider))]


def route_naming() -> list[Any]:
    """The middleware that names each request's server span by its route (:func:`name_request_span`), when
    tracing is on; else nothing. It runs after routing, inside the span Litestar's plugin opened."""
    if _provider is None:
        return []

    def naming(app: Any) -> Any:
        async def named(scope: Any, receive: Any, send: Any) -> None:
            name_request_span(scope)
            await app(scope, receive, send)

        return named

    return [naming]


def name_request_span(scope: Any) -> None:
    """Name the request's server span by its route once routing has found it (``POST
    /public/t/{tenant_slug}/warranty/check``), never by the path itself, whose ids and slugs would make a span
    name per tenant and per record in a tracing backend. Nothing when tracing is off."""
    if _provider is None:
        return
    from opentelemetry import trace

    span = trace.get_current_span()
    route = scope.get("path_template") or "unmatched"
    span.update_name(f"{scope.get('method')} {route}")
    span.set_attribute("http.route", route)


def instrument_engines(*engines: Any) -> None:
    """A span for each statement run on ``engines`` (async engines; each once) when tracing is on."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.metrics import get_meter

    usage = get_meter("aftersales").create_up_down_counter("db.client.connections.usage", unit="connections")
    sql_tracer = _provider.get_tracer("opentelemetry.instrumentation.sqlalchemy")
    for engine in engines:
        sync = engine.sync_engine
        if sync not in _instrumented:
            EngineTracer(sql_tracer, sync, usage)
            _instrumented.add(sync)


def hook_span(name: str, tenant: str | None) -> Any:
    """The span of one hook call (only called while :data:`tracer` is set)."""
    return tracer.start_as_current_span(f"hook {name}", attributes={"aftersales.hook": name,
                                                                    "aftersales.tenant": tenant or ""})
