"""What an operator sees of a running process: request ids, structured logs, Prometheus metrics, OpenTelemetry
traces (docs/operations.md).

Below every domain (it imports only the settings): domains, the hook guard and the worker record into it; the
app wires its ASGI wrapper (:mod:`.requests`) around everything and serves ``/metrics``.
"""
