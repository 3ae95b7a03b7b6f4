"""Shared set-up for the parts-supply tests: a Mehr-like electronics tenant in Tehran, parts, a stock location,
service requests in a given state, written straight to the tables (their own APIs have tests of their own)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from aftersales.identity.customers import CustomerDetails
from aftersales.identity.models import Customer
from aftersales.orders.fulfilment.models import Warehouse
from aftersales.parts.models import StockLocation
from aftersales.service.quotes.models import PartPrice
from aftersales.service.requests import services as requests
from aftersales.service.states import RequestState
from aftersales.tenancy.current import bind_tenant
from support.service import IRAN, tehran

OPENED = tehran("2026-03-01", 10)
"""Sunday 1 March 2026, a business day in Tehran."""


async def mehr(make_tenant: Any, slug: str = "mehr", **settings: Any) -> Any:
    """An electronics tenant in Tehran speaking Persian and English, with ``settings`` for the vertical."""
    return await make_tenant(slug, vertical="electronics", locales=["fa", "en"], default_locale="fa",
                             settings={"electronics": settings} if settings else {}, **IRAN)


def bound(runtime: Any, record: Any) -> Any:
    return bind_tenant(record, runtime.plugins)


async def add_part(runtime: Any, tenant: Any, code: str = "LCD-A52", *, supplier: str | None = "Samsung Parts",
                   price_minor: int = 30_000_000) -> uuid.UUID:
    async with runtime.db.transaction(tenant.id) as s:
        part = PartPrice(code=code, name=f"Part {code}", names={"fa": f"قطعه {code}"}, supplier=supplier,
                         price_minor=price_minor, currency=tenant.currency, updated_by="staff:test")
        s.add(part)
        await s.flush()
        return part.id


async def add_location(runtime: Any, tenant: Any, code: str | None = None) -> uuid.UUID:
    async with runtime.db.transaction(tenant.id) as s:
        warehouse = Warehouse(code=code or f"W-{uuid.uuid4().hex[:6]}", name="Central workshop", kind="central",
                              province="IR-23")
        s.add(warehouse)
        await s.flush()
        location = StockLocation(code=warehouse.code, name=warehouse.name, kind="warehouse",
                                 warehouse_id=warehouse.id)
        s.add(location)
        await s.flush()
        return location.id


@dataclass(frozen=True)
class OpenRequest:
    request_id: uuid.UUID
    customer_id: uuid.UUID


async def add_request(runtime: Any, tenant: Any, *states: RequestState, at: datetime = OPENED,
                      locale: str | None = "fa", phone: str | None = None) -> OpenRequest:
    """A repair request of a new customer, moved through ``states`` (e.g. ``DIAGNOSING``) at ``at``."""
    current = bound(runtime, tenant)
    phone = phone or f"+98912{random.randrange(10**7):07d}"
    async with runtime.db.transaction(tenant.id) as s:
        new = requests.NewRequest(kind="repair", channel="phone", summary="the screen is dark",
                                  customer=CustomerDetails(name="Sara Ahmadi", phone=phone,
                                                           email=f"sara-{uuid.uuid4().hex[:6]}@example.ir"))
        request = await requests.open_request(s, current, new, actor="staff:test", now=at)
        customer = await s.scalar(select(Customer).where(Customer.id == request.customer_id))
        assert customer is not None
        customer.locale = locale
        for state in states:
            await requests.move_request(s, current, request.id, state, actor="staff:test", note="", now=at)
        return OpenRequest(request.id, request.customer_id)
