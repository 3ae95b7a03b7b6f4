"""Which of an order's fulfilment moves the signed-in staff member is offered on its page, and the choices each
form needs: the warehouses it may go to (central ones, and the regional ones of the order's province), and the
marketplace's providers with the offerings they give (each provider marked when authorised by the company).

A move is offered only in the state the service allows it from and to staff with its scope; the services refuse
the rest anyway (a stale page gets the refusal by its code)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.identity.principals import Principal
from aftersales.marketplace.models import Offering, Provider, ProviderOffering
from aftersales.orders.fulfilment.cards import CLOSED
from aftersales.orders.fulfilment.models import Warehouse, WarehouseKind
from aftersales.orders.fulfilment.moves import OrderFulfilment
from aftersales.orders.models import Order, OrderState
from aftersales.web.console.orders import access

LISTED = 200
"""At most this many warehouses and providers are offered in a form."""


@dataclass(frozen=True)
class Technician:
    """A provider who may be booked, and whether the company authorises them today."""

    provider: Provider
    authorised: bool


@dataclass(frozen=True)
class NextMoves:
    """The fulfilment forms the order's page shows (a flag each) and what they choose from."""

    allocate: bool = False
    dispatch: bool = False
    deliver: bool = False
    install: bool = False
    confirm: bool = False
    card: bool = False
    warehouses: list[Warehouse] = field(default_factory=list)
    technicians: list[Technician] = field(default_factory=list)
    offerings: list[Offering] = field(default_factory=list)


async def eligible_warehouses(session: AsyncSession, order: Order) -> list[Warehouse]:
    """The active warehouses the order may be allocated to: central ones, and regional ones of its province."""
    serves = or_(Warehouse.kind == WarehouseKind.CENTRAL.value, Warehouse.province == (order.province or "").upper())
    return list(await session.scalars(select(Warehouse).where(Warehouse.active, serves)
                                      .order_by(Warehouse.kind, Warehouse.code).limit(LISTED)))


async def _bookable(session: AsyncSession, today: date) -> tuple[list[Technician], list[Offering]]:
    """Active providers with an active offering, and those offerings (the marketplace decides the rest)."""
    rows = (await session.execute(
        select(Provider, Offering).join(ProviderOffering, (ProviderOffering.tenant_id == Provider.tenant_id)
                                        & (ProviderOffering.provider_id == Provider.id))
        .join(Offering, (Offering.tenant_id == ProviderOffering.tenant_id) & (Offering.id == ProviderOffering.offering_id))
        .where(Provider.status == "active", ProviderOffering.active, Offering.active)
        .order_by(Provider.name, Offering.name).limit(LISTED))).all()
    providers = {p.id: p for p, _o in rows}
    offerings = {o.id: o for _p, o in rows}
    technicians = [Technician(p, p.authorised and (p.authorised_until is None or p.authorised_until >= today))
                   for p in providers.values()]
    return technicians, list(offerings.values())


async def next_moves(session: AsyncSession, staff: Principal, order: Order, delivery: OrderFulfilment | None,
                     today: date) -> NextMoves:
    """The moves ``staff`` is offered on ``order`` now (none without the delivery to read)."""
    if delivery is None:
        return NextMoves()
    moves, state = staff.has_scope(access.MOVE_SCOPE), order.state
    booked = delivery.fulfilment is not None and delivery.fulfilment.installation_booking_id is not None
    offered = NextMoves(
        allocate=moves and state == OrderState.FUNDED,
        dispatch=moves and state == OrderState.ALLOCATED,
        deliver=moves and state == OrderState.DISPATCHED,
        install=moves and state == OrderState.DELIVERED and not booked,
        confirm=staff.has_scope(access.CONFIRM_SCOPE) and state == OrderState.DELIVERED and booked,
        card=moves and state not in CLOSED)
    if offered.allocate:
        offered = replace(offered, warehouses=await eligible_warehouses(session, order))
    if offered.install:
        technicians, offerings = await _bookable(session, today)
        offered = replace(offered, technicians=technicians, offerings=offerings)
    return offered
