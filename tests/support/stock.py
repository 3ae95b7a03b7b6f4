"""Shared set-up for the stock tests: a tenant's parts catalogue, a service point and a warehouse written straight
to the tables, stock locations and receipts made through the API, and a service request to reserve for."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from aftersales.db.base import utcnow
from aftersales.identity.models import Customer
from aftersales.orders.fulfilment.models import Warehouse
from aftersales.service.models import ServicePoint, ServiceRequest
from aftersales.service.quotes.models import PartPrice

STOCK = "/api/v1/stock"
LOCATIONS = f"{STOCK}/locations"
RESERVATIONS = f"{STOCK}/reservations"
PARTS = {"BELT-1": ("drum belt", 45_00), "PUMP-2": ("drain pump", 120_00), "labour_hour": ("labour", 30_00)}


@dataclass(frozen=True)
class Shop:
    """A tenant with parts, two locations (a warehouse and a workshop), a repair request, and an admin."""

    tenant: Any
    admin: dict[str, str]
    parts: dict[str, uuid.UUID]
    warehouse: uuid.UUID
    workshop: uuid.UUID
    request_id: uuid.UUID


async def add_parts(runtime: Any, tenant: Any, currency: str = "EUR") -> dict[str, uuid.UUID]:
    """The catalogue of :data:`PARTS` (``labour_hour`` is a rate, not a part), by code."""
    async with runtime.db.transaction(tenant.id) as s:
        rows = [PartPrice(code=code, name=name, price_minor=price, currency=currency, updated_by="test")
                for code, (name, price) in PARTS.items()]
        s.add_all(rows)
        await s.flush()
        return {row.code: row.id for row in rows}


async def add_places(runtime: Any, tenant: Any) -> tuple[uuid.UUID, uuid.UUID]:
    """A central warehouse and a workshop service point."""
    async with runtime.db.transaction(tenant.id) as s:
        warehouse = Warehouse(code="CENTRAL", name="Central warehouse", kind="central", province="IR-23")
        point = ServicePoint(name="Workshop", latitude=35.7, longitude=51.4, country="IR")
        s.add_all([warehouse, point])
        await s.flush()
        return warehouse.id, point.id


async def add_request(runtime: Any, tenant: Any, number: int = 1) -> uuid.UUID:
    """A repair request (state ``received``) of a new customer."""
    async with runtime.db.transaction(tenant.id) as s:
        customer = Customer(name="Sara Example", email=f"{uuid.uuid4().hex[:8]}@example.com")
        s.add(customer)
        await s.flush()
        request = ServiceRequest(number=number, kind="repair", channel="phone", state="received",
                                 customer_id=customer.id, summary="the drum does not turn", opened_at=utcnow())
        s.add(request)
        await s.flush()
        return request.id


async def location(client: Any, headers: dict[str, str], code: str, **place: Any) -> uuid.UUID:
    made = await client.post(LOCATIONS, headers=headers, json={"code": code, "name": code.title(), **place})
    assert made.status_code == 201, made.text
    return uuid.UUID(made.json()["id"])


async def shop(runtime: Any, client: Any, make_tenant: Any, staff_token: Any, slug: str = "shop") -> Shop:
    tenant = await make_tenant(slug)
    admin = await staff_token(tenant, "admin")
    parts = await add_parts(runtime, tenant)
    warehouse_id, point_id = await add_places(runtime, tenant)
    warehouse = await location(client, admin, "WH", kind="warehouse", warehouse_id=str(warehouse_id))
    workshop = await location(client, admin, "WS", kind="service_point", service_point_id=str(point_id))
    return Shop(tenant, admin, parts, warehouse, workshop, await add_request(runtime, tenant))


async def receive(client: Any, headers: dict[str, str], part: uuid.UUID, place: uuid.UUID, quantity: int,
                  **extra: Any) -> Any:
    done = await client.post(f"{STOCK}/receipts", headers=headers, json={
        "part_id": str(part), "location_id": str(place), "quantity": quantity, **extra})
    assert done.status_code == 201, done.text
    return done.json()


async def stock_of(client: Any, headers: dict[str, str], part: uuid.UUID) -> dict[tuple[str, str], tuple[int, int]]:
    """``{(location id, condition): (on hand, reserved)}`` of the part."""
    rows = (await client.get(STOCK, headers=headers, params={"part": str(part)})).json()
    return {(row["location_id"], row["condition"]): (row["on_hand"], row["reserved"]) for row in rows}
