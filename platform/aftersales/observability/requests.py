"""The outermost layer of every HTTP request: its id, its log context, its metrics and its access log line.

:func:`observe_requests` wraps the application's ASGI handler (around Litestar's router and error handling, so
a 404 for an unknown path is counted and carries its id as well). The request id goes back in ``X-Request-ID``
on every answer and into every problem document (:func:`aftersales.observability.context.request_id_of`). What
it costs per request: a UUID, a context variable, two metric updates and one log call.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from aftersales.observability.context import REQUEST_ID_HEADER, RequestContext, current, request_id_of
from aftersales.observability.metrics import HTTP_LATENCY, HTTP_REQUESTS

access_log = logging.getLogger("aftersales.access")
_HEADER = REQUEST_ID_HEADER.encode()

ASGIApp = Any

_series: dict[tuple[str, str, int], tuple[Any, Any]] = {}
"""The counter and histogram children of each (method, route template, status), kept: ``labels()`` takes a lock
and builds a key on every call. Bounded as the labels are (routes × methods × statuses)."""


def observe_requests(handler: ASGIApp) -> ASGIApp:
    """``handler`` (an ASGI callable) with each HTTP request given an id, a log context and its metrics."""

    async def observed(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await handler(scope, receive, send)
            return
        rid = request_id_of(scope)
        rid_header = (_HEADER, rid.encode())
        token = current.set(RequestContext(rid, scope))
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), rid_header]}
            await send(message)

        try:
            await handler(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("path_template") or "unmatched"
            method = scope["method"]
            series = _series.get((method, route, status))
            if series is None:
                series = _series[method, route, status] = (HTTP_REQUESTS.labels(method, route, str(status)),
                                                           HTTP_LATENCY.labels(method, route))
            series[0].inc()
            series[1].observe(elapsed)
            if access_log.isEnabledFor(logging.INFO):
                access_log.info("%s %s %d %.1f ms", method, scope["path"], status, elapsed * 1000,
                                extra={"method": method, "route": route, "path": scope["path"], "status": status,
                                       "duration_ms": round(elapsed * 1000, 2)})
            current.reset(token)

    return observed
