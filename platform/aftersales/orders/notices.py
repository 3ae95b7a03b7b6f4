"""What an order's customer is told through the outbox, in their own language: a pro-forma issued (the order's
number, its total and the last day it can be paid, in their calendar), the order cancelled for staying unfunded
(with the reason), the funding cheque escalated to finance (the order stays open), and a late delivery's
compensation credited to their store credit.

One message per notice: by SMS when the customer has a phone, else by e-mail; a customer with neither is not
messaged (they read the order on the portal). The customer reads their own locale when the tenant offers it,
else the tenant's default, with the tenant's toman display. Each notice has its own outbox key, so telling twice
queues one message. Sentences are the core's (catalogue ``aftersales``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.text import CORE_DOMAIN, Message, messages
from aftersales.i18n.rendering import reader_format, render
from aftersales.identity.models import Customer
from aftersales.orders.models import Order, ProForma
from aftersales.outbox.messages import Message as Outgoing
from aftersales.outbox.messages import enqueue
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)


def last_valid_day(proforma: ProForma, tenant: CurrentTenant) -> date:
    """The tenant-local day whose end is the pro-forma's ``valid_until`` (the last day it can be paid)."""
    return (proforma.valid_until - timedelta(microseconds=1)).astimezone(tenant.calendar.zone).date()


async def proforma_issued(session: AsyncSession, tenant: CurrentTenant, order: Order, proforma: ProForma, *,
                          now: datetime) -> None:
    """Tell the customer a pro-forma was issued: the order's number, the total and the last day to pay it."""
    company, last_day = _company(tenant), last_valid_day(proforma, tenant)
    total = Money(proforma.total_minor, proforma.currency)
    await tell_customer(session, tenant, order, event="order.proforma_issued", key=f"proforma:{proforma.id}", now=now,
                        lines=[
                            _("{company}: a pro-forma for your order #{number}", company=company, number=order.number),
                            _("The pro-forma for your order #{number} comes to {total}. It can be paid until the end "
                              "of {last_day}; after that day ask for a new one.", number=order.number, total=total,
                              last_day=last_day),
                        ], payload={"proforma_id": str(proforma.id), "total_minor": proforma.total_minor,
                                    "currency": proforma.currency, "last_day": last_day.isoformat()})


async def cancelled_unfunded(session: AsyncSession, tenant: CurrentTenant, order: Order, days: int, *,
                             now: datetime) -> None:
    """Tell the customer the worker cancelled their order because it was not paid within ``days`` days."""
    company = _company(tenant)
    await tell_customer(session, tenant, order, event="order.cancelled_unfunded", key="cancelled", now=now, lines=[
        _("{company}: your order #{number} was cancelled", company=company, number=order.number),
        _("Your order #{number} was cancelled because it was not paid within {days} days of being placed. Place a "
          "new order if you still want it.", number=order.number, days=days),
    ], payload={"reason": order.state_reason, "days": days})


async def cheque_escalated(session: AsyncSession, tenant: CurrentTenant, order: Order, *, now: datetime) -> None:
    """Tell the customer their cheque is with finance and the order stays open meanwhile."""
    company = _company(tenant)
    await tell_customer(session, tenant, order, event="order.cheque_in_review", key="cheque-in-review", now=now,
                        lines=[
                            _("{company}: your cheque for order #{number} is with our finance team",
                              company=company, number=order.number),
                            _("The cheque for your order #{number} is not approved yet, so our finance team is "
                              "reviewing it. Your order stays open until they decide.", number=order.number),
                        ], payload={})


async def compensation_credited(session: AsyncSession, tenant: CurrentTenant, order: Order, days_late: int,
                                amount: Money, *, now: datetime) -> None:
    """Tell the customer their late order's compensation was added to their store credit."""
    company = _company(tenant)
    await tell_customer(session, tenant, order, event="order.compensation_credited", key="late-compensation",
                        now=now, lines=[
                            _("{company}: compensation for your late order #{number}", company=company,
                              number=order.number),
                            _("Your order #{number} was delivered {days} days late. As compensation, {amount} was "
                              "added to your store credit with us.", number=order.number, days=days_late,
                              amount=amount),
                        ], payload={"days_late": days_late, "amount_minor": amount.amount_minor,
                                    "currency": amount.currency})


async def tell_customer(session: AsyncSession, tenant: CurrentTenant, order: Order, *, event: str, key: str,
                        lines: list[Message], payload: dict[str, Any], now: datetime) -> bool:
    """Queue one message to the order's customer (SMS to their phone, else e-mail): the first line is the
    subject, all of them the body. Returns False when the customer has neither phone nor e-mail."""
    customer = await session.scalar(select(Customer).where(Customer.id == order.customer_id))
    assert customer is not None  # an order's customer is a foreign key
    channel, recipient = ("sms", customer.phone) if customer.phone else ("email", customer.email)
    if not recipient:
        return False
    locale = customer.locale if customer.locale in tenant.record.locales else tenant.record.default_locale
    reader = reader_format(locale, irr_as_toman=bool(tenant.record.branding.get("irr_as_toman", False)))
    said = [render(line, reader) for line in lines]
    await enqueue(session, Outgoing(
        channel=channel, recipient=recipient, event=event, key=f"order:{order.id}:{key}", subject=said[0],
        body="\n".join(said), payload={"order_id": str(order.id), "number": order.number, "locale": locale,
                                       **payload}), now=now)
    return True


def _company(tenant: CurrentTenant) -> str:
    return str(tenant.record.branding.get("display_name") or tenant.record.name)
