"""Shared set-up for order-fulfilment tests: an Entekhab-like appliances tenant in Tehran, funded orders and
warehouses written straight to the tables (the order desk's own API has tests of its own)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select

from aftersales.identity.models import Customer
from aftersales.orders.fulfilment.models import Warehouse
from aftersales.orders.models import Order, OrderLine
from aftersales.tenancy.current import bind_tenant
from aftersales.warranty.models import ProductModel, Serial
from support.service import IRAN, TEHRAN, tehran

TEHRAN_PROVINCE, ISFAHAN_PROVINCE = "IR-23", "IR-10"
FRIDGE_SKU = "RF-500"
TOTAL = 200_000_000
"""An order of 20,000,000 toman, in rial."""
FUNDED = tehran("2026-03-01", 10)
"""Sunday 1 March 2026, a business day in Tehran (Friday is the weekend)."""


async def entekhab(make_tenant: Any, slug: str = "entekhab", **settings: Any) -> Any:
    """An appliances tenant in Tehran speaking Persian and English, with ``settings`` for the vertical."""
    return await make_tenant(slug, vertical="appliances", locales=["fa", "en"], default_locale="fa",
                             settings={"appliances": settings} if settings else {}, **IRAN)


@dataclass(frozen=True)
class PlacedOrder:
    """A funded order of one refrigerator, and its customer."""

    order_id: uuid.UUID
    customer_id: uuid.UUID
    model_id: uuid.UUID
    number: int


async def add_order(runtime: Any, tenant: Any, *, province: str = TEHRAN_PROVINCE, promised_on: date | None = None,
                    state: str = "funded", funded_at: datetime = FUNDED, locale: str | None = "fa",
                    phone: str | None = "", email: str | None = None) -> PlacedOrder:
    """A funded order of one refrigerator (model created on first use) for a new customer (a fresh mobile number
    unless ``phone`` is given; None for none)."""
    if phone == "":
        phone = f"+98912{random.randrange(10**7):07d}"
    async with runtime.db.transaction(tenant.id) as s:
        model = await s.scalar(select(ProductModel).where(ProductModel.sku == FRIDGE_SKU))
        if model is None:
            model = ProductModel(sku=FRIDGE_SKU, name="Refrigerator 500", category="refrigerator")
            s.add(model)
        customer = Customer(name="Maryam Karimi", phone=phone, email=email or f"{uuid.uuid4().hex[:8]}@example.ir",
                            locale=locale)
        s.add(customer)
        await s.flush()
        number = (await s.scalar(select(func.count()).select_from(Order))) + 1
        order = Order(number=number, customer_id=customer.id, created_by="staff:agent", channel="agent",
                      payment_plan="cash", currency="IRR", total_minor=TOTAL, state=state,
                      delivery_address="Valiasr St. 12, Tehran", delivery_phone=phone, province=province,
                      promised_delivery_on=promised_on, funded_at=funded_at, created_at=funded_at)
        s.add(order)
        await s.flush()
        s.add(OrderLine(order_id=order.id, line_no=1, product_model_id=model.id, quantity=1, unit_price_minor=TOTAL))
        return PlacedOrder(order.id, customer.id, model.id, number)


async def add_warehouse(runtime: Any, tenant: Any, *, kind: str = "central", province: str = TEHRAN_PROVINCE,
                        code: str | None = None) -> uuid.UUID:
    async with runtime.db.transaction(tenant.id) as s:
        warehouse = Warehouse(code=code or f"W-{uuid.uuid4().hex[:6]}", name=f"{kind.title()} warehouse {province}",
                              kind=kind, province=province)
        s.add(warehouse)
        await s.flush()
        return warehouse.id


async def add_fridge(runtime: Any, tenant: Any, serial: str) -> None:
    """One refrigerator on the register (of the orders' model)."""
    async with runtime.db.transaction(tenant.id) as s:
        model = await s.scalar(select(ProductModel).where(ProductModel.sku == FRIDGE_SKU))
        assert model is not None, "add an order first: it creates the model"
        s.add(Serial(serial=serial, model_id=model.id, status="in_stock", batch="B-1"))


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """``day`` at ``hour:minute`` in Tehran."""
    return datetime.combine(day, time(hour, minute), tzinfo=TEHRAN)


async def act(runtime: Any, tenant: Any, work: Any) -> Any:
    """Run ``await work(session, current_tenant)`` in one transaction of ``tenant``."""
    async with runtime.db.transaction(tenant.id) as s:
        return await work(s, bind_tenant(tenant, runtime.plugins))
