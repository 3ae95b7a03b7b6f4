"""What the order desk must chase: orders unfunded past the vertical's period (the follow-up list), orders whose
funding cheque is escalated to finance, and the worker's sweep that funds, escalates and cancels.

The sweep (:func:`sweep_orders`, a worker job) for each tenant, at ``now``:

1. funds every order awaiting payment whose funding payment is captured (a cheque cleared, a credit's first
   instalment paid);
2. marks open pro-formas past their validity ``expired``;
3. escalates to finance every cheque order whose cheque is still uncleared ``cheque_approval_business_days``
   business days after it was recorded (the vertical's standard time): the order says so, it is on the
   escalation list, the tenant's finance staff (else its support address) get an e-mail, and the customer is
   told the order stays open (:mod:`aftersales.orders.notices`);
4. cancels every order still unfunded ``unfunded_cancel_days`` after it was taken, **never** one whose cheque
   escalation is open, and tells the customer why.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.i18n.rendering import reader_format, render
from aftersales.identity.models import StaffUser
from aftersales.orders import notices
from aftersales.orders import services as orders
from aftersales.orders.models import Order, OrderInstalment, OrderState, PaymentPlan, ProForma, ProFormaState
from aftersales.orders.terms import business_days_later, order_terms
from aftersales.outbox.messages import Message, enqueue
from aftersales.payments.ledger.models import Payment
from aftersales.runtime import Runtime
from aftersales.tenancy.current import CurrentTenant, active_tenant

_ = messages(CORE_DOMAIN)

SWEEP_LIMIT = 500
"""Orders looked at per step per tenant and pass; the rest wait for the next pass."""
AUTO_CANCEL_ACTOR = "worker"
MAX_NOTE = 2000


def followup_cutoff(tenant: CurrentTenant, now: datetime) -> datetime:
    """Orders taken before this instant and still unfunded are on the follow-up list: unfunded for more than the
    vertical's ``unfunded_followup_days`` (Entekhab: 29 days not listed, 31 days listed)."""
    return now - timedelta(days=order_terms(tenant).unfunded_followup_days)


async def followup_list(session: AsyncSession, tenant: CurrentTenant, now: datetime, *,
                        limit: int = 100) -> list[Order]:
    """Orders awaiting payment for longer than the vertical's follow-up period, oldest first."""
    return list(await session.scalars(
        select(Order).where(Order.state == OrderState.AWAITING_PAYMENT.value,
                            Order.created_at < followup_cutoff(tenant, now))
        .order_by(Order.created_at, Order.number).limit(limit)))


async def open_escalations(session: AsyncSession, *, limit: int = 100) -> list[Order]:
    """Orders whose funding cheque is escalated to finance and not yet closed, oldest escalation first."""
    return list(await session.scalars(
        select(Order).where(Order.cheque_escalated_at.is_not(None), Order.cheque_escalation_closed_at.is_(None))
        .order_by(Order.cheque_escalated_at, Order.number).limit(limit)))


async def close_escalation(session: AsyncSession, order: Order, *, note: str, actor: str, now: datetime) -> Order:
    """Finance closes an order's cheque escalation with a note (the cheque approved, or the order to go).

    :raises Conflict: the order has no open escalation. :raises InvalidInput: no note.
    """
    note = note.strip()
    if not note or len(note) > MAX_NOTE:
        raise InvalidInput("say what finance decided", [FieldError("note", f"must be 1 to {MAX_NOTE} characters")])
    if not orders.escalation_open(order):
        raise Conflict("the order has no open cheque escalation", code="order.no_open_escalation")
    order.cheque_escalation_closed_at, order.cheque_escalation_closed_by = now, actor
    order.cheque_escalation_note, order.updated_at = note, now
    await session.flush()
    return order


async def fund_captured(session: AsyncSession, now: datetime) -> int:
    """Fund every order awaiting payment whose funding payment is captured; returns how many."""
    rows = (await session.execute(
        select(Order, Payment).join(Payment, Payment.id == Order.payment_id)
        .where(Order.state == OrderState.AWAITING_PAYMENT.value, Payment.state == "captured")
        .limit(SWEEP_LIMIT).with_for_update(of=Order, skip_locked=True))).all()
    for order, payment in rows:
        if order.payment_plan == PaymentPlan.CREDIT.value:
            first = await session.scalar(select(OrderInstalment).where(OrderInstalment.payment_id == payment.id))
            if first is not None and first.paid_at is None:
                first.paid_at = now
        await orders.mark_funded(session, order, payment_id=payment.id, now=now)
    return len(rows)


async def expire_proformas(session: AsyncSession, now: datetime) -> int:
    """Open pro-formas whose validity ended are ``expired``; returns how many."""
    due = list(await session.scalars(select(ProForma).where(ProForma.state == ProFormaState.OPEN.value,
                                                            ProForma.valid_until <= now).limit(SWEEP_LIMIT)))
    for proforma in due:
        proforma.state = ProFormaState.EXPIRED.value
    return len(due)


async def escalate_cheques(session: AsyncSession, tenant: CurrentTenant, now: datetime) -> int:
    """Escalate to finance every cheque order whose cheque (pending or bounced) is older than the vertical's
    standard time in business days; returns how many were escalated."""
    days = order_terms(tenant).cheque_approval_business_days
    if days is None:
        return 0
    rows = (await session.execute(
        select(Order, Payment).join(Payment, Payment.id == Order.payment_id)
        .where(Order.state == OrderState.AWAITING_PAYMENT.value, Order.payment_plan == PaymentPlan.CHEQUE.value,
               Order.cheque_escalated_at.is_(None), Payment.state.in_(("pending", "bounced")))
        .order_by(Payment.created_at).limit(SWEEP_LIMIT).with_for_update(of=Order, skip_locked=True))).all()
    handled = 0
    recipients: list[str] | None = None
    for order, payment in rows:
        if business_days_later(tenant, payment.created_at, days) <= now:
            order.cheque_escalated_at, order.updated_at = now, now
            order.state_reason = (f"the cheque was not approved within {days} business days: escalated to finance "
                                  f"so the order is not cancelled")
            recipients = recipients if recipients is not None else await finance_recipients(session, tenant)
            reader = reader_format(tenant.record.default_locale,
                                   irr_as_toman=bool(tenant.record.branding.get("irr_as_toman", False)))
            amount = Money(payment.amount_minor, payment.currency)
            for recipient in recipients:
                await enqueue(session, Message(
                    channel="email", recipient=recipient, event="order.cheque_escalated",
                    key=f"cheque-escalated:{order.id}:{recipient}",
                    subject=render(_("Order #{number}: cheque {cheque} not approved", number=order.number,
                                     cheque=payment.provider_ref or ""), reader),
                    body=render(_("The cheque funding order #{number} ({amount}) is still unapproved {days} business "
                                  "days after it was handed in. The order is kept from automatic cancellation until "
                                  "finance closes this escalation.", number=order.number, amount=amount, days=days),
                                reader),
                    payload={"order_id": str(order.id), "number": order.number, "payment_id": str(payment.id)},
                ), now=now)
            await notices.cheque_escalated(session, tenant, order, now=now)
            handled += 1
    return handled


async def finance_recipients(session: AsyncSession, tenant: CurrentTenant) -> list[str]:
    """Who hears of a cheque escalation: the tenant's active finance staff, else its support address."""
    staff = await session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.created_at))
    found = [member.email for member in staff if "finance" in member.roles and member.email]
    support = tenant.record.branding.get("support_email")
    return found or ([support] if support else [])


async def cancel_unfunded(session: AsyncSession, tenant: CurrentTenant, now: datetime) -> int:
    """Cancel every order unfunded past the vertical's ``unfunded_cancel_days``, never one whose cheque
    escalation is open; returns how many were cancelled."""
    days = order_terms(tenant).unfunded_cancel_days
    if days is None:
        return 0
    due = list(await session.scalars(
        select(Order).where(Order.state == OrderState.AWAITING_PAYMENT.value,
                            Order.created_at <= now - timedelta(days=days),
                            (Order.cheque_escalated_at.is_(None)) | (Order.cheque_escalation_closed_at.is_not(None)))
        .order_by(Order.created_at).limit(SWEEP_LIMIT).with_for_update(skip_locked=True)))
    for order in due:
        await orders.cancel_order(session, order, reason=f"not funded within {days} days", actor=AUTO_CANCEL_ACTOR,
                                  now=now)
        await notices.cancelled_unfunded(session, tenant, order, days, now=now)
    return len(due)


async def sweep_orders(runtime: Runtime, tenant_id: uuid.UUID, now: datetime) -> int:
    """Job: fund, expire, escalate and cancel the tenant's orders due at ``now`` (see the module docstring);
    returns how many orders or pro-formas it changed."""
    tenant = await active_tenant(runtime.db, runtime.plugins, tenant_id)
    if tenant is None:
        return 0
    async with runtime.db.transaction(tenant_id) as session:
        handled = await fund_captured(session, now)
        handled += await expire_proformas(session, now)
        handled += await escalate_cheques(session, tenant, now)
        handled += await cancel_unfunded(session, tenant, now)
    return handled
