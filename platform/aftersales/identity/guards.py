"""Authentication middleware and route guards.

The middleware reads ``Authorization: Bearer …`` when present and puts the verified :class:`Principal` on the
connection (``request.user``); a present but bad token is refused at once with 401. Routes declare what they
need with guards: :func:`requires_scope` (tenant-bound tokens with a scope) or :func:`operator_only`.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from aftersales.errors import AuthenticationFailed, PermissionDenied
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import OPERATOR


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    """Verifies bearer tokens with the runtime's :class:`~aftersales.identity.tokens.TokenService`."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        header = connection.headers.get("authorization")
        if not header:
            return AuthenticationResult(user=None, auth=None)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationFailed("the Authorization header must be 'Bearer <token>'")
        principal = connection.app.state.runtime.tokens.verify(token.strip())
        return AuthenticationResult(user=principal, auth=token)


def current_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = connection.scope.get("user")
    if not isinstance(principal, Principal):
        raise AuthenticationFailed("this route needs an access token")
    return principal


def actor(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """How a record names who made it: ``staff:<id>``, ``customer:<id>`` or ``client:<client id>``."""
    principal = current_principal(connection)
    return f"{principal.kind}:{principal.subject}"


def requires_scope(scope: str) -> Any:
    """Guard: a tenant-bound token that carries ``scope``.

    A coroutine function, so Litestar calls it on the event loop: a plain function guard is sent to a worker
    thread on every request, which costs more than the check itself.
    """

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = current_principal(connection)
        if principal.tenant_id is None:
            raise PermissionDenied("this route needs a token bound to a tenant")
        if not principal.has_scope(scope):
            raise PermissionDenied(f"this route needs the {scope!r} scope")

    guard.__name__ = f"requires_scope({scope})"
    return guard


def requires_any_scope(*scopes: str) -> Any:
    """Guard: a tenant-bound token that carries at least one of ``scopes`` (a route staff, providers and
    customers share; the service then narrows provider and customer tokens to their own rows)."""
    wanted = frozenset(scopes)

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = current_principal(connection)
        if principal.tenant_id is None:
            raise PermissionDenied("this route needs a token bound to a tenant")
        if not wanted & principal.scopes:
            raise PermissionDenied(f"this route needs one of the scopes {', '.join(sorted(wanted))}")

    guard.__name__ = f"requires_any_scope({', '.join(sorted(wanted))})"
    return guard


async def operator_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: a platform operator's token."""
    principal = current_principal(connection)
    if principal.tenant_id is not None or not principal.has_scope(OPERATOR):
        raise PermissionDenied("this route is for platform operators")
