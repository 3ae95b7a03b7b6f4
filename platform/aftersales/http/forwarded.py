"""Which client a request comes from, when reverse proxies stand in front of the server.

The address a request is rate-limited under (the public check, sign-ins, one-time codes) is the connection's
peer, unless that peer is a proxy listed in ``AFTERSALES_TRUSTED_PROXIES``: then the client is the nearest
address of ``X-Forwarded-For`` that is not itself a trusted proxy, and the scheme is ``X-Forwarded-Proto``.
Anyone else's forwarded headers are ignored, so a client cannot pick the identity its limits are counted under.
uvicorn's own handling (which trusts 127.0.0.1 by default) is switched off by ``aftersales serve``; this
middleware does the same job with the configured list, under any ASGI server. The parsing is uvicorn's
(``ProxyHeadersMiddleware``), not our own.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.middleware import DefineMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from aftersales.settings import Settings


def forwarded_headers(settings: Settings) -> list[DefineMiddleware]:
    """The app's middleware that believes forwarded headers from the trusted proxies; none when there are none."""
    if not settings.trusted_proxies:
        return []
    return [DefineMiddleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))]


def client_address(request: Request[Any, Any, Any]) -> str:
    """The address the request's client is counted under (the proxy's client when the peer is trusted)."""
    return request.client.host if request.client else "unknown"
