"""Who reaches which provider and which booking: staff by scope, a provider user only its own provider and
its bookings, a customer only their own bookings and what is listed to them.

A provider user's token names its provider (``Principal.provider_id``), a customer's token the customer
(``Principal.customer_id``); another provider's or customer's rows answer 404, as if they did not exist, never
403 (which would confirm they do).
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol, TypeVar

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import NotFound, PermissionDenied
from aftersales.identity.guards import current_principal
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import MARKETPLACE_MANAGE, MARKETPLACE_READ
from aftersales.marketplace.models import Booking

Row = TypeVar("Row")
"""The row type a narrowed query selects (a booking, a dispute)."""


class Reach(Protocol):
    """Whose bookings a caller reaches: a provider's, a customer's, or (both None) every one of the tenant's.
    A :class:`~aftersales.identity.principals.Principal` and a bookings ``Party`` both are one."""

    @property
    def provider_id(self) -> uuid.UUID | None: ...

    @property
    def customer_id(self) -> uuid.UUID | None: ...


def visible(query: Select[tuple[Row]], who: Reach, entity: Any = Booking) -> Select[tuple[Row]]:
    """``query`` narrowed to the rows of ``entity`` ``who`` may see: bookings, or any table that names a booking's
    two parties in ``provider_id`` and ``customer_id`` (a dispute about one)."""
    if who.provider_id is not None:
        return query.where(entity.provider_id == who.provider_id)
    if who.customer_id is not None:
        return query.where(entity.customer_id == who.customer_id)
    return query


async def visible_booking(session: AsyncSession, who: Reach, booking_id: uuid.UUID, *, lock: bool = False) -> Booking:
    """The booking, when ``who`` may see it. :raises NotFound: no such booking, or someone else's."""
    query = visible(select(Booking).where(Booking.id == booking_id), who)
    booking = await session.scalar(query.with_for_update() if lock else query)
    if booking is None:
        raise NotFound("no such booking")
    return booking


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
