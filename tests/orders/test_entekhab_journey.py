"""Entekhab's purchase side end to end on its real manifest (``tenants/entekhab.toml``, seed 001): orders taken
through the order desk, paid or not against their pro-formas, a bounced cheque waiting the tenant's own weeks,
then the same funded order allocated, its address changed the minute before dispatch and refused the minute
after, its province held by the regional warehouse, and the customer told in Persian that it is late with its
production date. Each half has its own tests; this one shows the halves join on the manifest a company ships."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from aftersales.errors import Conflict
from aftersales.identity.models import Customer
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.orders import followup
from aftersales.orders.fulfilment import changes, moves, warehouses
from aftersales.orders.fulfilment.late import send_late_delivery_notices
from aftersales.orders.models import Order
from aftersales.outbox.models import OutboxMessage
from aftersales.payments.customer_payments import cheques
from aftersales.settings import REPO_ROOT
from aftersales.tenancy.current import bind_tenant
from aftersales.warranty.models import ProductModel
from support.orders import FRIDGE, PRICES, issue, pay, place
from support.payments import staff
from support.service import tehran

ISSUED = tehran("2026-05-23", 10)
"""Saturday 23 May 2026: Eid al-Adha falls on Wednesday 27 May, so business day 7 is Sunday 31 May."""
MANIFEST = REPO_ROOT / "tenants" / "entekhab.toml"


async def _entekhab(runtime):
    manifest = read_manifest_file(MANIFEST)
    async with runtime.db.transaction(None) as session:
        tenant, _ = await onboard(session, runtime.plugins, manifest)
    async with runtime.db.transaction(tenant.id) as s:
        s.add(ProductModel(sku=FRIDGE, name="یخچال", category="refrigerator", attributes={}, in_stock=True,
                           list_price_minor=PRICES[FRIDGE]))
        customer = Customer(name="Maryam Karimi", phone="+989120000001", email=None, locale="fa")
        s.add(customer)
        await s.flush()
        return tenant, customer.id


async def _act(runtime, tenant, work):
    async with runtime.db.transaction(tenant.id) as s:
        return await work(s, bind_tenant(tenant, runtime.plugins))


async def _order(runtime, tenant, order_id):
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(Order).where(Order.id == order_id))


async def test_entekhabs_order_desk_from_pro_forma_to_a_late_delivery_notice(runtime):
    tenant, customer = await _entekhab(runtime)

    # A pro-forma is valid for 7 business days across the holiday: day 8 cannot be paid, day 7 can.
    late_payer = await place(runtime, tenant, customer, ISSUED, delivery_address="Valiasr St. 12, Tehran",
                             province="IR-23")
    stale = await issue(runtime, tenant, late_payer, ISSUED)
    with pytest.raises(Conflict) as expired:
        await pay(runtime, tenant, late_payer, stale.proforma.id, tehran("2026-06-01", 0))
    assert expired.value.code == "proforma.expired"
    assert (await _order(runtime, tenant, late_payer)).state == "awaiting_payment"

    order = await place(runtime, tenant, customer, ISSUED, plan="cheque", delivery_address="Valiasr St. 12, Tehran",
                        province="IR-23", promised_delivery_on=date(2026, 7, 1))
    proforma = await issue(runtime, tenant, order, ISSUED)
    paid = await pay(runtime, tenant, order, proforma.proforma.id, tehran("2026-05-31", 23, 59), method="cheque",
                     reference="CHQ-7")
    assert paid.state == "awaiting_payment"  # a cheque funds its order once it clears

    # The cheque bounces; Entekhab's manifest makes the customer wait 14 days before presenting it again.
    async with runtime.db.transaction(tenant.id) as s:
        payment_id = (await s.scalar(select(Order).where(Order.id == order))).payment_id
    bounced_at = tehran("2026-06-01", 10)
    bounced = await _act(runtime, tenant, lambda s, t: cheques.bounce_cheque(
        s, t, staff(tenant), payment_id, reason="insufficient funds", actor="staff:finance", now=bounced_at))
    assert bounced.details["representable_on"] == "2026-06-15"
    with pytest.raises(Conflict):
        await _act(runtime, tenant, lambda s, t: cheques.represent_cheque(
            s, t, staff(tenant), payment_id, actor="staff:finance", now=bounced_at + timedelta(days=13)))
    await _act(runtime, tenant, lambda s, t: cheques.represent_cheque(
        s, t, staff(tenant), payment_id, actor="staff:finance", now=bounced_at + timedelta(days=14)))
    async with runtime.db.transaction(tenant.id) as s:
        await cheques.clear_cheque(s, staff(tenant), payment_id, actor="staff:finance", now=tehran("2026-06-16", 9))
    await followup.sweep_orders(runtime, tenant.id, tehran("2026-06-16", 9, 1))
    assert (await _order(runtime, tenant, order)).state == "funded"

    # The order that was never paid is on the follow-up list after a month, not before.
    async def listed(now):
        async with runtime.db.transaction(tenant.id) as s:
            return [o.id for o in await followup.followup_list(s, bind_tenant(tenant, runtime.plugins), now)]

    assert late_payer not in await listed(ISSUED + timedelta(days=29))
    assert late_payer in await listed(ISSUED + timedelta(days=31))

    # Allocated to Tehran's regional warehouse; an address change the minute before dispatch is applied, the
    # minute after it is refused, and the province never changes.
    regional = await _act(runtime, tenant, lambda s, t: warehouses.create_warehouse(
        s, t, warehouses.NewWarehouse(code="THR-1", name="Tehran regional", kind="regional", province="IR-23")))
    await _act(runtime, tenant, lambda s, t: moves.allocate(s, t, order, regional.id, date(2026, 6, 10),
                                                            actor="staff:warehouse", now=tehran("2026-06-17", 9)))
    dispatch_at = tehran("2026-06-20", 11)

    def ask(now, **wanted):
        return _act(runtime, tenant, lambda s, t: changes.ask_change(
            s, t, order, changes.AskedChange(**wanted), customer_id=None, actor="customer:maryam", now=now))

    assert (await ask(dispatch_at - timedelta(minutes=1), delivery_address="Enghelab St. 5, Tehran")).state == "applied"
    assert (await ask(dispatch_at - timedelta(minutes=1), province="IR-10")).state == "refused"
    await _act(runtime, tenant, lambda s, t: moves.dispatch(s, order, actor="staff:warehouse", now=dispatch_at))
    refused = await ask(dispatch_at + timedelta(minutes=1), delivery_address="Azadi Sq., Tehran")
    assert refused.state == "refused" and "dispatched" in str(refused.reason)
    placed = await _order(runtime, tenant, order)
    assert (placed.delivery_address, placed.province, placed.state) == (
        "Enghelab St. 5, Tehran", "IR-23", "dispatched")

    # Past the promised day the customer hears, in Persian, with the production date.
    assert await send_late_delivery_notices(runtime, tenant.id, tehran("2026-07-01", 23, 59)) == 0
    assert await send_late_delivery_notices(runtime, tenant.id, tehran("2026-07-02", 0, 1)) == 1
    async with runtime.db.transaction(tenant.id) as s:
        [notice] = (await s.scalars(select(OutboxMessage).where(OutboxMessage.event == "order.delivery_late"))).all()
    assert notice.payload["production_on"] == "2026-06-10"
    assert "تاریخ تولید" in notice.body and "۱۴۰۵" in notice.body
