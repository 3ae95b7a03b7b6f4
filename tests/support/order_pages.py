"""Orders for the order desk's page tests, made through the order services (``support.orders``): an Entekhab
tenant offering the four languages, a customer, and an order with its pro-forma at a chosen instant."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.models import Customer
from aftersales.orders.models import Order
from support.orders import FRIDGE, add_catalogue, issue, place
from support.service import IRAN, TEHRAN


async def order_desk(make_tenant: Any, runtime: Any, slug: str = "entekhab-test") -> Any:
    """An appliances tenant in Tehran (rials, Friday weekend) offering en/fa/zh/ka, with the catalogue of
    ``support.orders`` (a fridge and an oven in stock, a washer out of stock)."""
    tenant = await make_tenant(slug, vertical="appliances", locales=["en", "fa", "zh", "ka"], **IRAN)
    await add_catalogue(runtime, tenant)
    return tenant


async def new_customer(runtime: Any, tenant: Any, name: str = "Maryam Karimi") -> uuid.UUID:
    """A customer of ``tenant`` with an Iranian mobile number."""
    async with runtime.db.transaction(tenant.id) as s:
        customer = Customer(name=name, phone=f"+98912{uuid.uuid4().int % 10_000_000:07d}")
        s.add(customer)
        await s.flush()
        return customer.id


@dataclass(frozen=True)
class Placed:
    """An order the test placed: its id and number, its customer, and its pro-forma (id, validity)."""

    order_id: uuid.UUID
    number: int
    customer_id: uuid.UUID
    proforma_id: uuid.UUID
    valid_until: datetime

    @property
    def last_day(self) -> date:
        """The last Tehran day the pro-forma may be paid on (``valid_until`` is the midnight ending it)."""
        return (self.valid_until - timedelta(microseconds=1)).astimezone(TEHRAN).date()


async def place_order(runtime: Any, tenant: Any, *, customer_id: uuid.UUID | None = None, now: datetime | None = None,
                      plan: str = "cash", skus: tuple[str, ...] = (FRIDGE,), **fields: Any) -> Placed:
    """An order taken by an agent at ``now`` (a new customer's without ``customer_id``), with a pro-forma
    issued at the same instant."""
    now = now or utcnow()
    customer_id = customer_id or await new_customer(runtime, tenant)
    order_id = await place(runtime, tenant, customer_id, now, plan=plan, skus=skus, **fields)
    issued = await issue(runtime, tenant, order_id, now)
    async with runtime.db.transaction(tenant.id) as s:
        number = await s.scalar(select(Order.number).where(Order.id == order_id))
    return Placed(order_id, number, customer_id, issued.proforma.id, issued.proforma.valid_until)
