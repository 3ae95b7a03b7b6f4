"""An order as the pages show it (console and portal alike): its lines with the products' names and amounts as
money, its pro-formas newest first with the state a reader should see now (an open one past its validity reads
expired, whether or not the expiry has been recorded yet), and a credit order's instalments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.orders import proformas as order_proformas
from aftersales.orders import services as orders
from aftersales.orders.models import Order, OrderInstalment, ProForma, ProFormaState
from aftersales.orders.terms import last_valid_day


@dataclass(frozen=True)
class LineView:
    """One product of the order: what it is, how many, at what price."""

    sku: str
    name: str
    quantity: int
    unit_price: Money
    amount: Money


@dataclass(frozen=True)
class ProFormaView:
    """A pro-forma and the state its reader sees at the moment the page is drawn."""

    proforma: ProForma
    state: str
    total: Money
    last_day: date
    """The last tenant-local day it may be paid on (``valid_until`` is the midnight that ends it)."""


@dataclass(frozen=True)
class OrderView:
    """Everything an order's page shows of the order itself (delivery comes from fulfilment)."""

    order: Order
    total: Money
    lines: list[LineView]
    proformas: list[ProFormaView]
    instalments: list[tuple[OrderInstalment, Money]]

    @property
    def proforma(self) -> ProFormaView | None:
        """The latest pro-forma, the one the customer is asked to pay."""
        return self.proformas[0] if self.proformas else None


def proforma_view(proforma: ProForma, *, now: datetime, zone: ZoneInfo) -> ProFormaView:
    """The pro-forma as a page shows it at ``now``, in the tenant's time zone ``zone``."""
    return ProFormaView(proforma, proforma_state(proforma, now), Money(proforma.total_minor, proforma.currency),
                        last_valid_day(proforma.valid_until, zone))


def proforma_state(proforma: ProForma, now: datetime) -> str:
    """``expired`` for an open pro-forma past its last valid instant (before the worker records it so); its
    stored state otherwise."""
    if proforma.state == ProFormaState.OPEN.value and order_proformas.expired(proforma, now):
        return ProFormaState.EXPIRED.value
    return proforma.state


async def order_view(session: AsyncSession, order: Order, *, now: datetime, zone: ZoneInfo) -> OrderView:
    """The order's lines, pro-formas and instalments, as the pages show them at ``now``."""
    currency = order.currency
    return OrderView(
        order=order, total=Money(order.total_minor, currency),
        lines=[LineView(model.sku, model.name, line.quantity, Money(line.unit_price_minor, currency),
                        Money(line.unit_price_minor * line.quantity, currency))
               for line, model in await orders.lines_of(session, order.id)],
        proformas=[proforma_view(p, now=now, zone=zone) for p in await order_proformas.proformas_of(session, order.id)],
        instalments=[(i, Money(i.amount_minor, currency)) for i in await orders.instalments_of(session, order.id)])


async def latest_proforma(session: AsyncSession, order: Order, *, now: datetime,
                          zone: ZoneInfo) -> ProFormaView | None:
    """The order's latest pro-forma (the one the customer is asked to pay), for lists."""
    found = await order_proformas.proformas_of(session, order.id)
    return proforma_view(found[0], now=now, zone=zone) if found else None
