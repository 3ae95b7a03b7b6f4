"""Shared helpers of the order desk tests: an appliances tenant in Iran (Entekhab's rules), its catalogue, and
orders and pro-formas made through the services at a chosen instant."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from aftersales.identity.principals import Principal
from aftersales.orders import proformas
from aftersales.orders import services as orders
from aftersales.payments.refunds.models import CustomerIdentity
from aftersales.tenancy.current import bind_tenant
from aftersales.warranty.models import ProductModel
from support.service import IRAN

NATIONAL_ID = "0499370899"
"""A well-formed Iranian national code (its check digit matches)."""
OTHER_NATIONAL_ID = "0010350829"
FRIDGE, OVEN, WASHER = "RF-100", "OV-200", "WM-300"
PRICES = {FRIDGE: 400_000_000, OVEN: 150_000_000, WASHER: 250_000_000}


async def entekhab(make_tenant: Any, slug: str = "entekhab", **settings: Any) -> Any:
    """An appliances tenant in Tehran (rials, Friday weekend) with the given appliances settings, and its
    catalogue: a fridge and an oven in stock, a washer out of stock."""
    tenant = await make_tenant(slug, vertical="appliances", **IRAN,
                               **({"settings": {"appliances": settings}} if settings else {}))
    return tenant


async def add_catalogue(runtime: Any, tenant: Any) -> None:
    """The tenant's three models with list prices (the washer out of stock)."""
    async with runtime.db.transaction(tenant.id) as s:
        for sku, price in PRICES.items():
            s.add(ProductModel(sku=sku, name=f"Model {sku}", category="appliance", attributes={},
                               in_stock=sku != WASHER, list_price_minor=price))


def agent(tenant: Any) -> Principal:
    """An agent of ``tenant``, for calling the order services directly."""
    return Principal(kind="staff", subject="agent-1", tenant_id=tenant.id, roles=("agent",))


async def place(runtime: Any, tenant: Any, customer_id: uuid.UUID, now: datetime, *, plan: str = "cash",
                skus: tuple[str, ...] = (FRIDGE,), **fields: Any) -> uuid.UUID:
    """An order taken by an agent at ``now``; returns its id."""
    fields.setdefault("national_id", NATIONAL_ID)
    async with runtime.db.transaction(tenant.id) as s:
        order = await orders.create_order(s, bind_tenant(tenant, runtime.plugins), agent(tenant), orders.NewOrder(
            payment_plan=plan, customer_id=customer_id, store="Tehran store 12",
            lines=tuple(orders.NewLine(sku, 1) for sku in skus), **fields), actor="staff:agent-1", now=now)
        return order.id


async def issue(runtime: Any, tenant: Any, order_id: uuid.UUID, now: datetime, **kwargs: Any) -> Any:
    """A pro-forma issued for the order at ``now``; returns :class:`~aftersales.orders.proformas.Issued`."""
    async with runtime.db.transaction(tenant.id) as s:
        order = await orders.get_order(s, agent(tenant), order_id)
        return await proformas.issue_proforma(s, bind_tenant(tenant, runtime.plugins), order, actor="staff:agent-1",
                                              now=now, **kwargs)


async def pay(runtime: Any, tenant: Any, order_id: uuid.UUID, proforma_id: uuid.UUID, now: datetime,
              method: str = "cash", reference: str | None = None) -> Any:
    """Pay the pro-forma at ``now``; returns the order."""
    async with runtime.db.transaction(tenant.id) as s:
        order = await orders.get_order(s, agent(tenant), order_id)
        await proformas.pay_proforma(s, runtime.settings, order, proforma_id, proformas.Payment(method, reference),
                                     actor="staff:agent-1", now=now)
        return order


async def national_id_for(session: Any, customer_id: uuid.UUID) -> str:
    """The customer's national ID on file (the demo's orders record one), else :data:`NATIONAL_ID`: an order
    naming another one for them is refused."""
    on_file = await session.scalar(select(CustomerIdentity.national_id).where(
        CustomerIdentity.customer_id == customer_id))
    return on_file or NATIONAL_ID
