"""The late-delivery notice (a worker job): an undelivered order past its promised date is told to its customer
once, in their language, with the production date and the compensation the vertical gives.

Seed 001: "late delivery: tell the customer the production date and what compensation applies". An order is
late from the tenant-local day after its promised date while it is funded, allocated or dispatched. The job
asks ``aftersales_late_delivery_compensation`` for the days late so far, queues the notice on each channel the
customer has (SMS, e-mail) and emits ``order.delivery_late``, in one transaction per tenant pass; the
fulfilment's ``late_notice_at`` makes it once per order. On PostgreSQL the orders are locked ``FOR UPDATE SKIP
LOCKED``, so two workers never notice the same order, and the notice's outbox key would refuse a second one.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.i18n.rendering import reader_format, render
from aftersales.identity.models import Customer
from aftersales.orders.fulfilment.models import Fulfilment
from aftersales.orders.fulfilment.moves import days_late, late_delivery, local_day
from aftersales.orders.models import Order, OrderState
from aftersales.outbox.events import OrderDeliveryLate
from aftersales.outbox.messages import Message, enqueue
from aftersales.outbox.webhooks import emit
from aftersales.runtime import Runtime
from aftersales.tenancy.current import CurrentTenant, active_tenant

_ = messages(CORE_DOMAIN)
NOTICE_EVENT = "order.delivery_late"
NOTICE_LIMIT = 200
"""At most this many notices per tenant in one pass; the next pass takes the rest."""
UNDELIVERED = (OrderState.FUNDED.value, OrderState.ALLOCATED.value, OrderState.DISPATCHED.value)


async def send_late_delivery_notices(runtime: Runtime, tenant_id: UUID, now: datetime) -> int:
    """Tell each customer whose order became late by ``now`` (once per order); returns how many orders."""
    tenant = await active_tenant(runtime.db, runtime.plugins, tenant_id)
    if tenant is None:
        return 0
    today = local_day(tenant, now)
    async with runtime.db.transaction(tenant_id) as session:
        rows = (await session.execute(
            select(Order, Fulfilment)
            .outerjoin(Fulfilment, (Fulfilment.tenant_id == Order.tenant_id) & (Fulfilment.order_id == Order.id))
            .where(Order.state.in_(UNDELIVERED), Order.promised_delivery_on < today,
                   Fulfilment.late_notice_at.is_(None))
            .order_by(Order.promised_delivery_on, Order.id).limit(NOTICE_LIMIT)
            .with_for_update(of=Order, skip_locked=True)
        )).all()
        for order, fulfilment in rows:
            await _notify(session, tenant, order, fulfilment, now)
    return len(rows)


async def _notify(session: AsyncSession, tenant: CurrentTenant, order: Order, fulfilment: Fulfilment | None,
                  now: datetime) -> None:
    if fulfilment is None:
        fulfilment = Fulfilment(order_id=order.id)
        session.add(fulfilment)
    late = days_late(order, local_day(tenant, now))
    compensation = tenant.hooks.aftersales_late_delivery_compensation(
        tenant=tenant.context, delivery=late_delivery(order, fulfilment, late))
    fulfilment.late_notice_at = now
    fulfilment.late_compensation_minor = compensation.amount.amount_minor
    fulfilment.late_compensation_reason = compensation.reason
    customer = await session.scalar(select(Customer).where(Customer.id == order.customer_id))
    assert customer is not None
    locale = customer.locale if customer.locale in tenant.record.locales else tenant.record.default_locale
    reader = reader_format(locale, irr_as_toman=bool(tenant.record.branding.get("irr_as_toman", False)))
    company = tenant.record.branding.get("display_name") or tenant.record.name
    subject = render(_("{company}: your order #{number} is late", company=company, number=order.number), reader)
    production = fulfilment.production_on
    said = (_("Your order #{number} was promised for {promised_on} and has not reached you yet. Production date "
              "of its products: {production_on}. Compensation: {compensation}", number=order.number,
              promised_on=order.promised_delivery_on, production_on=production, compensation=compensation.reason)
            if production is not None else
            _("Your order #{number} was promised for {promised_on} and has not reached you yet. The production date "
              "of its products is not known yet. Compensation: {compensation}", number=order.number,
              promised_on=order.promised_delivery_on, compensation=compensation.reason))
    body = render(said, reader)
    payload = {"order_id": str(order.id), "number": order.number, "locale": locale,
               "promised_on": str(order.promised_delivery_on), "production_on": str(production) if production else None,
               "days_late": late, "compensation_minor": compensation.amount.amount_minor, "currency": order.currency}
    for channel, recipient in (("sms", customer.phone), ("email", customer.email)):
        if recipient:
            await enqueue(session, Message(channel=channel, recipient=recipient, event=NOTICE_EVENT,
                                           key=f"order-late:{order.id}:{channel}", subject=subject, body=body,
                                           payload=payload), now=now)
    await session.flush()
    assert order.promised_delivery_on is not None  # selected for it
    await emit(session, OrderDeliveryLate(
        order_id=order.id, number=order.number, customer_id=order.customer_id, promised_on=order.promised_delivery_on,
        production_on=production, days_late=late, compensation_minor=compensation.amount.amount_minor,
        currency=order.currency, noticed_at=now), key=order.id, now=now)
