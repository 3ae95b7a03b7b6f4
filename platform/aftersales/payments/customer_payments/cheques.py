"""A cheque's life (offline payments, Entekhab, seed 001): pending until it clears (``captured``) or bounces
(``bounced``; a cleared cheque that bounces has its capture reversed). After a bounce the customer waits the
days the vertical gives (``OrderTerms.bounced_cheque_wait_days``; Entekhab: two weeks), counted in days of the
tenant's time zone, before presenting it again: the bounce tells them the date by the outbox, and presenting it
earlier is refused with that date.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.contract.values import OrderTerms
from aftersales.errors import Conflict
from aftersales.i18n.rendering import reader_format, render
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.outbox.messages import Message, enqueue
from aftersales.payments.customer_payments import services as service
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import Payment
from aftersales.payments.ledger.services import Posting
from aftersales.payments.providers.base import ProviderOutcome
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)


def wait_days(tenant: CurrentTenant) -> int:
    """Days the tenant's vertical makes a customer wait after a bounce (``aftersales_order_terms``)."""
    terms: OrderTerms = tenant.hooks.aftersales_order_terms(tenant=tenant.context)
    return terms.bounced_cheque_wait_days


def representable_on(bounced_on: date, wait: int) -> date:
    """The first tenant-local day a cheque that bounced on ``bounced_on`` may be presented again."""
    return bounced_on + timedelta(days=wait)


async def _cheque(session: AsyncSession, principal: Principal, payment_id: uuid.UUID, *states: str) -> Payment:
    payment = await service.get_payment(session, principal, payment_id, lock=True)
    if payment.method != "cheque":
        raise Conflict(f"the payment is by {payment.method}, not by cheque")
    if payment.state not in states:
        raise Conflict(f"the cheque is {payment.state}; this needs one that is {' or '.join(states)}")
    return payment


async def clear_cheque(session: AsyncSession, principal: Principal, payment_id: uuid.UUID, *, actor: str,
                       now: datetime) -> Payment:
    """The bank paid the cheque: it is captured. :raises Conflict: it is not pending."""
    payment = await _cheque(session, principal, payment_id, "pending")
    return await service.apply_outcome(session, payment, ProviderOutcome("succeeded"),
                                       Posting(actor, "cheque cleared", payment.operation_id, now))


async def bounce_cheque(session: AsyncSession, tenant: CurrentTenant, principal: Principal, payment_id: uuid.UUID,
                        *, reason: str, actor: str, now: datetime) -> Payment:
    """The bank refused the cheque, before or after it cleared: a cleared one has its capture reversed
    (``{operation_id}:bounce:{n}``), and the customer is told by the outbox when they may present it again.

    :raises Conflict: the cheque is neither pending nor cleared, or part of it was already refunded.
    """
    payment = await _cheque(session, principal, payment_id, "pending", "captured")
    bounces = int(payment.details.get("bounces", 0)) + 1
    captured = (await ledger.payment_totals(session, payment.id)).captured
    if captured.amount_minor > 0:
        await ledger.post_capture_reversal(session, payment.id, captured.amount_minor,
                                           Posting(actor, f"cheque bounced: {reason}".strip(),
                                                   f"{payment.operation_id}:bounce:{bounces}", now))
    bounced_on = now.astimezone(ZoneInfo(tenant.record.time_zone)).date()
    wait = wait_days(tenant)
    allowed = representable_on(bounced_on, wait)
    payment.details = {**payment.details, "bounces": bounces, "bounced_on": bounced_on.isoformat(),
                       "representable_on": allowed.isoformat(), "wait_days": wait}
    payment.state, payment.state_reason, payment.updated_at = "bounced", reason.strip() or "bounced", now
    await _tell_customer(session, tenant, payment, bounces, wait, allowed, now)
    await session.flush()
    return payment


async def represent_cheque(session: AsyncSession, tenant: CurrentTenant, principal: Principal,
                           payment_id: uuid.UUID, *, actor: str, now: datetime) -> Payment:
    """Present a bounced cheque again: pending once more, to be cleared or bounced.

    :raises Conflict: it has not bounced, or the wait has not passed (the answer names the day it may be).
    """
    payment = await _cheque(session, principal, payment_id, "bounced")
    allowed = date.fromisoformat(payment.details["representable_on"])
    today = now.astimezone(ZoneInfo(tenant.record.time_zone)).date()
    if today < allowed:
        raise Conflict(f"the cheque bounced on {payment.details['bounced_on']}: it may be presented again from "
                       f"{allowed.isoformat()}")
    presentation = int(payment.details.get("presentation", 1)) + 1
    payment.details = {**payment.details, "presentation": presentation, "represented_on": today.isoformat(),
                       "represented_by": actor}
    payment.state, payment.state_reason, payment.updated_at = "pending", "", now
    await session.flush()
    return payment


async def _tell_customer(session: AsyncSession, tenant: CurrentTenant, payment: Payment, bounces: int,
                         wait: int, allowed: date, now: datetime) -> None:
    customer = await session.scalar(select(Customer).where(Customer.id == payment.customer_id))
    if customer is None or not (customer.email or customer.phone):
        return
    channel, recipient = ("email", customer.email) if customer.email else ("sms", customer.phone)
    assert recipient is not None
    company = tenant.record.branding.get("display_name") or tenant.record.name
    amount = Money(payment.amount_minor, payment.currency)
    reader = reader_format(customer.locale or tenant.record.default_locale,
                           irr_as_toman=bool(tenant.record.branding.get("irr_as_toman", False)))
    await enqueue(session, Message(
        channel=channel, recipient=recipient, event="payment.cheque_bounced",
        key=f"cheque-bounced:{payment.id}:{bounces}",
        subject=render(_("{company}: your cheque was not paid", company=company), reader),
        body=render(_("{company}: your cheque {cheque} for {amount} was returned by the bank. Please wait {days} "
                      "days: you may present it again from {day}.", company=company,
                      cheque=payment.provider_ref or "", amount=amount, days=wait, day=allowed), reader),
        payload={"payment_id": str(payment.id), "cheque": payment.provider_ref, "amount_minor": payment.amount_minor,
                 "currency": payment.currency, "representable_on": allowed.isoformat(), "wait_days": wait},
    ), now=now)
