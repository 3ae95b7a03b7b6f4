"""The request a log line, a metric or a problem document belongs to, held in a context variable.

The outer ASGI wrapper (:mod:`aftersales.observability.requests`) opens a :class:`RequestContext` for each
request; the tenant resolution (:mod:`aftersales.http.context`) names the tenant in it, and the log filter
(:mod:`aftersales.observability.logs`) reads it for every line logged while the request runs. Outside a request
(the worker, the CLI) there is none, and nothing is added.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

REQUEST_ID_HEADER = "x-request-id"
SCOPE_KEY = "aftersales.request_id"
"""Where the request id is kept in the ASGI scope's ``state``, so every part of the request finds the same one."""


@dataclass
class RequestContext:
    """One request: its id, and the ASGI scope (whose ``user`` the authentication sets) and tenant, once known."""

    request_id: str
    scope: Any
    tenant: str | None = None

    @property
    def principal_kind(self) -> str | None:
        """``operator``, ``staff``, ``customer`` or ``client`` for a request with a bearer token; None otherwise."""
        user = self.scope.get("user")
        return getattr(user, "kind", None)


current: ContextVar[RequestContext | None] = ContextVar("aftersales_request", default=None)


def request_id_of(scope: Any) -> str:
    """The id of the request of ``scope``, made on first use: 128 random bits in hex. Always generated here, never
    taken from the caller: an id a client chooses could collide with, or pose as, another request in the logs."""
    state = scope.setdefault("state", {})
    rid = state.get(SCOPE_KEY)
    if rid is None:
        rid = state[SCOPE_KEY] = os.urandom(16).hex()
    return rid


def note_tenant(slug: str) -> None:
    """Name the tenant the running request acts for (its slug), for the log lines that follow."""
    ctx = current.get()
    if ctx is not None:
        ctx.tenant = slug
