"""Stock for the stock pages' tests, made through the stock and supply services (:mod:`aftersales.parts`): an
Entekhab tenant offering the four languages, catalogue parts, locations at warehouses, receipts, minimums,
requests to reserve for, and faulty parts of warranty repairs to return to their supplier."""

from __future__ import annotations

import uuid
from typing import Any

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.orders.fulfilment.models import Warehouse
from aftersales.parts import minimums, movements, reservations
from aftersales.parts.locations import NewLocation, create_location
from aftersales.parts.supply import returns
from aftersales.service.quotes.models import PartPrice, ServiceQuote
from aftersales.service.requests.services import NewRequest, open_request
from aftersales.service.states import RequestState
from aftersales.tenancy.current import bind_tenant
from support.service import IRAN
from support.supply import add_request

ACTOR = "staff:stock-test"


async def stock_desk(make_tenant: Any, slug: str = "entekhab-test") -> Any:
    """An appliances tenant in Tehran (rials) offering en/fa/zh/ka."""
    return await make_tenant(slug, vertical="appliances", locales=["en", "fa", "zh", "ka"], **IRAN)


async def add_part(runtime: Any, tenant: Any, code: str, name: str, *, names: dict[str, str] | None = None,
                   supplier: str | None = None) -> uuid.UUID:
    """A part of the tenant's catalogue (list price 1,500,000 rials)."""
    async with runtime.db.transaction(tenant.id) as s:
        part = PartPrice(code=code, name=name, names=names or {}, supplier=supplier, price_minor=1_500_000,
                         currency="IRR", updated_by=ACTOR)
        s.add(part)
        await s.flush()
        return part.id


async def add_location(runtime: Any, tenant: Any, code: str, name: str | None = None) -> uuid.UUID:
    """A stock location at a new central warehouse of the tenant."""
    async with runtime.db.transaction(tenant.id) as s:
        warehouse = Warehouse(code=f"W-{code}", name=f"Warehouse {code}", kind="central", province="IR-23")
        s.add(warehouse)
        await s.flush()
        place = await create_location(s, NewLocation(code=code, name=name or f"Store {code}", kind="warehouse",
                                                     warehouse_id=warehouse.id))
        return place.id


async def receive(runtime: Any, tenant: Any, part_id: uuid.UUID, location_id: uuid.UUID, quantity: int, *,
                  condition: str = "new", reason: str = "delivery note 1") -> None:
    """``quantity`` of the part arriving at the location."""
    async with runtime.db.transaction(tenant.id) as s:
        await movements.receive(s, movements.Moved(part_id, location_id, quantity, condition, reason), actor=ACTOR,
                                now=utcnow())


async def set_minimum(runtime: Any, tenant: Any, part_id: uuid.UUID, location_id: uuid.UUID, minimum: int,
                      reorder_quantity: int | None = None) -> None:
    """The buffer of the part at the location."""
    async with runtime.db.transaction(tenant.id) as s:
        await minimums.set_minimum(s, part_id=part_id, location_id=location_id, minimum=minimum,
                                   reorder_quantity=reorder_quantity, actor=ACTOR)


async def open_repair(runtime: Any, tenant: Any) -> tuple[uuid.UUID, int]:
    """A repair request taken by phone: (id, number)."""
    async with runtime.db.transaction(tenant.id) as s:
        request = await open_request(s, bind_tenant(tenant, runtime.plugins), NewRequest(
            kind="repair", channel="phone", summary="the drum does not turn",
            customer=CustomerDetails(name="Maryam Karimi", phone="+989121234567")), actor=ACTOR, now=utcnow())
        return request.id, request.number


async def reserve(runtime: Any, tenant: Any, part_id: uuid.UUID, quantity: int, request_id: uuid.UUID) -> uuid.UUID:
    """A reservation of the part for the request; its id."""
    async with runtime.db.transaction(tenant.id) as s:
        held = await reservations.reserve(s, bind_tenant(tenant, runtime.plugins), part_id=part_id,
                                          quantity=quantity, request_id=request_id, actor=ACTOR)
        return held.id


async def faulty_part(runtime: Any, tenant: Any, part_id: uuid.UUID, location_id: uuid.UUID) -> uuid.UUID:
    """One of the part replaced in a warranty repair and tagged faulty, to go back to the part's supplier: a repair
    with an accepted quote under warranty, the part received, reserved and issued to it. The faulty part's id."""
    job = await add_request(runtime, tenant, RequestState.IN_REPAIR)
    await receive(runtime, tenant, part_id, location_id, 1)
    current = bind_tenant(tenant, runtime.plugins)
    async with runtime.db.transaction(tenant.id) as s:
        s.add(ServiceQuote(request_id=job.request_id, state="accepted", lines=[], total_minor=0, currency="IRR",
                           under_warranty=True, offered_by=ACTOR))
        await s.flush()
        held = await reservations.reserve(s, current, part_id=part_id, quantity=1, location_id=location_id,
                                          request_id=job.request_id, actor=ACTOR)
        await reservations.issue(s, held.id, actor=ACTOR)
        faulty = await returns.tag_faulty(s, current, request_id=job.request_id, part_id=part_id, quantity=1,
                                          actor=ACTOR, now=utcnow())
        return faulty.id
