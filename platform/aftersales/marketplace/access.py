"""Who reaches which provider: staff by scope, a provider user only its own provider, customers only what is
listed to them.

A provider user's token names its provider (``Principal.provider_id``); another provider's rows answer 404, as
if they did not exist, never 403 (which would confirm they do).
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from aftersales.errors import NotFound, PermissionDenied
from aftersales.identity.guards import current_principal
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import MARKETPLACE_MANAGE, MARKETPLACE_READ


async def any_tenant_token(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: any token bound to a tenant (staff, provider user, customer, API client)."""
    if current_principal(connection).tenant_id is None:
        raise PermissionDenied("this route needs a token bound to a tenant")


def check_reach(principal: Principal, provider_id: uuid.UUID, *, write: bool) -> None:
    """Whether ``principal`` may read (or change) what a provider itself may change of ``provider_id``:
    its own provider user, or staff with ``marketplace:read`` (``marketplace:manage`` to change).

    :raises NotFound: a provider user asking about another provider.
    :raises PermissionDenied: staff without the scope.
    """
    if principal.provider_id is not None:
        if principal.provider_id != provider_id:
            raise NotFound("no such provider")
        return
    needed = MARKETPLACE_MANAGE if write else MARKETPLACE_READ
    if not principal.has_scope(needed):
        raise PermissionDenied(f"this needs the {needed!r} scope or the provider's own user")
