"""The late-delivery notice (seed 001: "late delivery: tell the customer the production date and what
compensation applies"): sent by the worker from the tenant-local day after the promised date, once per order, in
the customer's language, with the production date and the compensation the vertical's settings give."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from aftersales.orders.fulfilment import moves
from aftersales.orders.fulfilment.late import send_late_delivery_notices
from aftersales.orders.fulfilment.models import Fulfilment
from aftersales.outbox import webhooks
from aftersales.outbox.models import OutboxMessage
from aftersales.outbox.secrets import secret_box
from aftersales.worker import JOBS
from support.fulfilment import TOTAL, act, add_order, add_warehouse, entekhab, local

PROMISED = date(2026, 3, 10)


async def notices(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as s:
        return (await s.scalars(select(OutboxMessage).where(OutboxMessage.event == "order.delivery_late")
                                .order_by(OutboxMessage.channel))).all()


async def allocated(runtime, tenant, **order):
    placed = await add_order(runtime, tenant, promised_on=PROMISED, **order)
    warehouse = await add_warehouse(runtime, tenant)
    await act(runtime, tenant, lambda s, t: moves.allocate(s, t, placed.order_id, warehouse, date(2026, 2, 25),
                                                           actor="staff:w", now=local(date(2026, 3, 2), 9)))
    return placed


async def test_the_notice_goes_the_minute_after_the_promised_day_ends_not_the_minute_before(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    order = await allocated(runtime, tenant, email=None)
    assert await send_late_delivery_notices(runtime, tenant.id, local(PROMISED, 23, 59)) == 0
    assert await send_late_delivery_notices(runtime, tenant.id, local(date(2026, 3, 11), 0, 1)) == 1
    email, sms = await notices(runtime, tenant)
    assert (email.channel, sms.channel) == ("email", "sms")
    assert sms.payload["production_on"] == "2026-02-25" and sms.payload["days_late"] == 1
    assert sms.payload["compensation_minor"] == TOTAL * 10 // 10_000
    # in Persian, the customer's language: the order number, the promised and production dates (Jalali) and the
    # compensation rule of the tenant's vertical
    assert "سفارش شمارهٔ" in sms.body and "۱۴۰۴" in sms.body and "تاریخ تولید" in sms.body
    assert "روز تأخیر" in sms.body
    async with runtime.db.transaction(tenant.id) as s:
        fulfilment = await s.scalar(select(Fulfilment).where(Fulfilment.order_id == order.order_id))
    assert fulfilment.late_notice_at == local(date(2026, 3, 11), 0, 1)


async def test_an_order_is_told_once_and_a_delivered_one_never(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    late = await allocated(runtime, tenant)
    delivered = await allocated(runtime, tenant)
    await act(runtime, tenant, lambda s, t: moves.dispatch(s, delivered.order_id, actor="staff:w",
                                                           now=local(date(2026, 3, 5), 9)))
    await act(runtime, tenant, lambda s, t: moves.deliver(s, t, delivered.order_id, sealed=True, actor="staff:w",
                                                          now=local(date(2026, 3, 6), 9)))
    assert await send_late_delivery_notices(runtime, tenant.id, local(date(2026, 3, 12), 9)) == 1
    assert await send_late_delivery_notices(runtime, tenant.id, local(date(2026, 3, 20), 9)) == 0
    assert {m.payload["order_id"] for m in await notices(runtime, tenant)} == {str(late.order_id)}


async def test_a_funded_order_not_yet_allocated_is_told_that_its_production_date_is_not_known(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    await add_order(runtime, tenant, promised_on=PROMISED, locale="en", phone=None)
    assert await send_late_delivery_notices(runtime, tenant.id, local(date(2026, 3, 13), 9)) == 1
    [email] = await notices(runtime, tenant)
    assert "The production date of its products is not known yet" in email.body
    assert "for 3 days late: 0.1% of the order's price for each day late, at most 5%" in email.body


async def test_the_tenants_own_rate_decides_and_zero_gives_none(runtime, make_tenant):
    tenant = await entekhab(make_tenant, late_delivery_compensation_bps_per_day=0)
    await allocated(runtime, tenant, locale="en")
    await send_late_delivery_notices(runtime, tenant.id, local(date(2026, 3, 15), 9))
    _email, sms = await notices(runtime, tenant)
    assert sms.payload["compensation_minor"] == 0
    assert "Compensation: no compensation is given for a late delivery" in sms.body


async def test_the_job_is_one_of_the_workers_and_emits_the_webhook_event(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    assert send_late_delivery_notices in JOBS
    async with runtime.db.transaction(tenant.id) as s:
        await webhooks.create_endpoint(s, secret_box(runtime.settings), url="https://hooks.example.com/entekhab",
                                       events=["order.delivery_late"], description="", now=local(PROMISED, 9),
                                       allow_private=True)
    order = await allocated(runtime, tenant)
    assert await send_late_delivery_notices(runtime, tenant.id, local(date(2026, 3, 11), 8)) == 1
    async with runtime.db.transaction(tenant.id) as s:
        [event] = (await s.scalars(select(OutboxMessage).where(OutboxMessage.channel == "webhook"))).all()
    assert event.event == "order.delivery_late"
    assert (event.payload["order_id"], event.payload["days_late"]) == (str(order.order_id), 1)
    assert event.payload["production_on"] == "2026-02-25"
