"""What the order desk chases (seed 001): an order unfunded for more than the vertical's month is on the
follow-up list (29 days not, 31 days listed); a cheque not cleared within the standard time is escalated to
finance; the worker cancels orders that stay unfunded, but never one whose cheque escalation is open; a cheque
that clears funds its order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from aftersales.errors import Conflict
from aftersales.orders import followup
from aftersales.orders import services as orders
from aftersales.orders.models import Order, ProForma
from aftersales.outbox.models import OutboxMessage
from aftersales.payments.customer_payments import cheques
from aftersales.tenancy.current import bind_tenant
from aftersales.worker import JOBS
from support.marketplace import add_customer
from support.orders import add_catalogue, entekhab, issue, pay, place
from support.payments import staff
from support.service import tehran

TAKEN = tehran("2026-05-02", 10)  # a Saturday


async def _setup(runtime, make_tenant, **settings):
    tenant = await entekhab(make_tenant, **settings)
    await add_catalogue(runtime, tenant)
    return tenant, await add_customer(runtime, tenant)


async def _listed(runtime, tenant, now):
    async with runtime.db.transaction(tenant.id) as s:
        return [o.id for o in await followup.followup_list(s, bind_tenant(tenant, runtime.plugins), now)]


async def _order(runtime, tenant, order_id):
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(Order).where(Order.id == order_id))


async def test_an_order_unfunded_for_29_days_is_not_listed_and_for_31_days_is(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant)
    order = await place(runtime, tenant, customer, TAKEN)
    assert await _listed(runtime, tenant, TAKEN + timedelta(days=29)) == []
    assert await _listed(runtime, tenant, TAKEN + timedelta(days=31)) == [order]


async def test_a_funded_order_is_never_on_the_follow_up_list(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant)
    order = await place(runtime, tenant, customer, TAKEN)
    issued = await issue(runtime, tenant, order, TAKEN)
    await pay(runtime, tenant, order, issued.proforma.id, TAKEN + timedelta(hours=1))
    assert await _listed(runtime, tenant, TAKEN + timedelta(days=31)) == []


async def test_the_follow_up_period_is_the_tenants_own_setting(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant, unfunded_order_followup_days=10)
    order = await place(runtime, tenant, customer, TAKEN)
    assert await _listed(runtime, tenant, TAKEN + timedelta(days=9)) == []
    assert await _listed(runtime, tenant, TAKEN + timedelta(days=11)) == [order]


async def _cheque_order(runtime, tenant, customer):
    order = await place(runtime, tenant, customer, TAKEN, plan="cheque")
    issued = await issue(runtime, tenant, order, TAKEN)
    paid = await pay(runtime, tenant, order, issued.proforma.id, TAKEN, method="cheque", reference="CHQ-1")
    return order, paid.payment_id


def test_the_order_sweep_is_a_worker_job():
    assert followup.sweep_orders in JOBS


async def test_an_uncleared_cheque_is_escalated_after_3_business_days_not_before(runtime, make_tenant):
    """Recorded Saturday 2 May 10:00: 3 business days later is Tuesday 5 May 10:00 (Friday is the weekend)."""
    tenant, customer = await _setup(runtime, make_tenant)
    order, _ = await _cheque_order(runtime, tenant, customer)
    assert await followup.sweep_orders(runtime, tenant.id, tehran("2026-05-05", 9, 59)) == 0
    assert (await _order(runtime, tenant, order)).cheque_escalated_at is None
    assert await followup.sweep_orders(runtime, tenant.id, tehran("2026-05-05", 10)) == 1
    escalated = await _order(runtime, tenant, order)
    assert escalated.cheque_escalated_at == tehran("2026-05-05", 10) and "escalated to finance" in escalated.state_reason
    async with runtime.db.transaction(tenant.id) as s:
        assert [o.id for o in await followup.open_escalations(s)] == [order]
        [notice] = (await s.scalars(select(OutboxMessage).where(OutboxMessage.event == "order.cheque_escalated"))).all()
    assert notice.recipient == "help@entekhab-demo.com" and "CHQ-1 not approved" in notice.subject
    assert await followup.sweep_orders(runtime, tenant.id, tehran("2026-05-06", 10)) == 0  # escalated once


async def test_the_worker_never_cancels_an_order_whose_cheque_escalation_is_open(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant)
    order, _ = await _cheque_order(runtime, tenant, customer)
    await followup.sweep_orders(runtime, tenant.id, tehran("2026-05-06", 10))  # escalated
    await followup.sweep_orders(runtime, tenant.id, TAKEN + timedelta(days=61))  # past the 60 days
    assert (await _order(runtime, tenant, order)).state == "awaiting_payment"
    async with runtime.db.transaction(tenant.id) as s:
        escalated = await s.scalar(select(Order).where(Order.id == order))
        with pytest.raises(Conflict, match="escalated"):
            await orders.cancel_order(s, escalated, reason="no money", actor="staff:x", now=TAKEN + timedelta(days=61))
        await followup.close_escalation(s, escalated, note="the cheque will not come", actor="staff:finance-1",
                                        now=TAKEN + timedelta(days=61))
    assert await followup.sweep_orders(runtime, tenant.id, TAKEN + timedelta(days=62)) == 1
    cancelled = await _order(runtime, tenant, order)
    assert (cancelled.state, cancelled.state_reason) == ("cancelled", "not funded within 60 days")


async def test_the_worker_cancels_an_unfunded_order_after_60_days_not_59(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant)
    order = await place(runtime, tenant, customer, TAKEN)
    issued = await issue(runtime, tenant, order, TAKEN)
    await followup.sweep_orders(runtime, tenant.id, TAKEN + timedelta(days=59, hours=23))
    assert (await _order(runtime, tenant, order)).state == "awaiting_payment"
    await followup.sweep_orders(runtime, tenant.id, TAKEN + timedelta(days=60))
    assert (await _order(runtime, tenant, order)).state == "cancelled"
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalar(select(ProForma).where(ProForma.id == issued.proforma.id))).state == "expired"


async def test_a_tenant_that_turns_cancellation_off_keeps_the_order(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant, unfunded_order_cancel_days=0)
    order = await place(runtime, tenant, customer, TAKEN)
    await followup.sweep_orders(runtime, tenant.id, TAKEN + timedelta(days=400))
    assert (await _order(runtime, tenant, order)).state == "awaiting_payment"


async def test_a_cleared_cheque_funds_its_order_on_the_next_sweep_and_closes_its_escalation(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant)
    order, payment = await _cheque_order(runtime, tenant, customer)
    await followup.sweep_orders(runtime, tenant.id, tehran("2026-05-06", 10))  # escalated
    async with runtime.db.transaction(tenant.id) as s:
        await cheques.clear_cheque(s, staff(tenant), payment, actor="staff:finance-1", now=tehran("2026-05-07", 9))
    assert await followup.sweep_orders(runtime, tenant.id, tehran("2026-05-07", 9, 1)) == 1
    funded = await _order(runtime, tenant, order)
    assert (funded.state, funded.funded_at) == ("funded", tehran("2026-05-07", 9, 1))
    assert funded.cheque_escalation_closed_at is not None


async def test_a_credit_order_is_funded_by_its_first_instalment(runtime, make_tenant):
    from aftersales.orders.services import NewInstalment

    tenant, customer = await _setup(runtime, make_tenant)
    first, second = NewInstalment(TAKEN.date(), 100_000_000), NewInstalment(TAKEN.date() + timedelta(days=30),
                                                                             300_000_000)
    order = await place(runtime, tenant, customer, TAKEN, plan="credit", instalments=(second, first))
    issued = await issue(runtime, tenant, order, TAKEN)
    paid = await pay(runtime, tenant, order, issued.proforma.id, TAKEN + timedelta(hours=1))
    assert paid.state == "funded"
    async with runtime.db.transaction(tenant.id) as s:
        schedule = await orders.instalments_of(s, order)
    assert [(i.seq, i.amount_minor, i.paid_at is not None) for i in schedule] == [
        (1, 100_000_000, True), (2, 300_000_000, False)]


async def test_finance_staff_hear_of_the_escalation(runtime, make_tenant, staff_token):
    tenant, customer = await _setup(runtime, make_tenant)
    await staff_token(tenant, "finance")
    order, _ = await _cheque_order(runtime, tenant, customer)
    await followup.sweep_orders(runtime, tenant.id, tehran("2026-05-05", 10))
    async with runtime.db.transaction(tenant.id) as s:
        [notice] = (await s.scalars(select(OutboxMessage).where(OutboxMessage.event == "order.cheque_escalated"))).all()
    assert notice.recipient.startswith("finance-") and notice.payload["order_id"] == str(order)
