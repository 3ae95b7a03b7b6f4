"""What an order's customer is told (seed 001): a pro-forma issued — the order's number, its total (in toman for
a tenant that counts so) and the last day it can be paid in their calendar (Jalali, Persian digits in Persian)
—, the order cancelled by the worker for staying unfunded and why, and the cheque escalated to finance (the
order stays open). One message each, by SMS when they have a phone else by e-mail; none without either."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from aftersales.identity.models import Customer
from aftersales.orders import followup, notices
from aftersales.orders.models import Order, ProForma
from aftersales.orders.proformas import ListedLine
from aftersales.outbox.models import OutboxMessage
from aftersales.tenancy.current import bind_tenant
from support.orders import FRIDGE, OVEN, add_catalogue, issue, pay, place
from support.service import IRAN, tehran

ISSUED = tehran("2026-05-23", 10)
"""Saturday 23 May 2026: Eid al-Adha falls on Wednesday 27 May, so business day 7 is Sunday 31 May."""


async def _tenant(make_tenant, slug="entekhab"):
    return await make_tenant(slug, vertical="appliances", **IRAN, locales=["fa", "en"], default_locale="fa",
                             branding={"display_name": "Entekhab", "support_email": "help@entekhab-demo.com", "support_phone": "+98 21 0000 0000",
                                       "irr_as_toman": True})


async def _customer(runtime, tenant, *, phone=None, email=None, locale=None) -> uuid.UUID:
    async with runtime.db.transaction(tenant.id) as s:
        customer = Customer(name="Maryam Karimi", phone=phone, email=email, locale=locale)
        s.add(customer)
        await s.flush()
        return customer.id


async def _told(runtime, tenant, event):
    async with runtime.db.transaction(tenant.id) as s:
        return (await s.scalars(select(OutboxMessage).where(OutboxMessage.event == event))).all()


async def test_a_persian_customer_is_texted_the_jalali_last_day_across_eid_al_adha(runtime, make_tenant):
    tenant = await _tenant(make_tenant)
    await add_catalogue(runtime, tenant)
    customer = await _customer(runtime, tenant, phone="+989121234567", email="maryam@example.ir", locale="fa")
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9))
    issued = await issue(runtime, tenant, order, ISSUED)
    [sms] = await _told(runtime, tenant, "order.proforma_issued")
    assert (sms.channel, sms.recipient) == ("sms", "+989121234567")  # the phone first: one message, not two
    # Sunday 31 May 2026 is 10 Khordad 1405: the last day, not the midnight (11 Khordad) that ends it, nor the
    # seventh calendar day (29 May, 8 Khordad) that ignores the holiday
    assert "۱۰ خرداد ۱۴۰۵" in sms.body
    assert "۱۱ خرداد" not in sms.body and "۸ خرداد" not in sms.body
    assert "۴۰٬۰۰۰٬۰۰۰ تومان" in sms.body and "پیش‌فاکتور" in sms.body  # 400,000,000 rial as toman
    assert "سفارش شمارهٔ" in sms.body and "pro-forma" not in sms.body
    assert sms.payload["last_day"] == "2026-05-31" and sms.payload["proforma_id"] == str(issued.proforma.id)
    assert sms.payload["total_minor"] == 400_000_000


async def test_an_english_customer_without_a_phone_is_emailed_the_gregorian_day(runtime, make_tenant):
    tenant = await _tenant(make_tenant)
    await add_catalogue(runtime, tenant)
    customer = await _customer(runtime, tenant, email="sara@example.com", locale="en")
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9))
    await issue(runtime, tenant, order, ISSUED)
    [email] = await _told(runtime, tenant, "order.proforma_issued")
    assert (email.channel, email.recipient) == ("email", "sara@example.com")
    assert email.subject.startswith("Entekhab: a pro-forma for your order #")
    assert "comes to 40,000,000 toman" in email.body and "until the end of May 31, 2026" in email.body


async def test_a_customer_with_no_phone_or_email_gets_nothing_and_the_proforma_is_issued(runtime, make_tenant):
    tenant = await _tenant(make_tenant)
    await add_catalogue(runtime, tenant)
    customer = await _customer(runtime, tenant, locale="fa")
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9))
    issued = await issue(runtime, tenant, order, ISSUED)
    assert issued.proforma.state == "open"
    assert await _told(runtime, tenant, "order.proforma_issued") == []
    await followup.sweep_orders(runtime, tenant.id, ISSUED + timedelta(days=61))  # cancelled: still nothing sent
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalar(select(Order.state).where(Order.id == order))) == "cancelled"
        assert (await s.scalars(select(OutboxMessage.channel).where(OutboxMessage.channel != "webhook"))).all() == []


async def test_a_store_violation_is_not_announced_to_the_customer(runtime, make_tenant):
    tenant = await _tenant(make_tenant)
    await add_catalogue(runtime, tenant)
    customer = await _customer(runtime, tenant, email="sara@example.com", locale="en")
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9), skus=(FRIDGE,))
    issued = await issue(runtime, tenant, order, ISSUED, lines=(ListedLine(OVEN, 1, 150_000_000),))
    assert issued.violation is not None
    assert await _told(runtime, tenant, "order.proforma_issued") == []


async def test_each_new_proforma_is_told_with_its_own_last_day_and_telling_again_sends_nothing(runtime, make_tenant):
    tenant = await _tenant(make_tenant)
    await add_catalogue(runtime, tenant)
    customer = await _customer(runtime, tenant, email="sara@example.com", locale="en")
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9))
    first = await issue(runtime, tenant, order, ISSUED)
    # Tuesday 2 June: Thursday 4 June (14 Khordad) is a holiday and Friday the weekend, so day 7 is Wednesday 10 June
    second = await issue(runtime, tenant, order, tehran("2026-06-02", 10))
    async with runtime.db.transaction(tenant.id) as s:  # a retry of the first notice finds it queued
        placed = await s.scalar(select(Order).where(Order.id == order))
        proforma = await s.scalar(select(ProForma).where(ProForma.id == first.proforma.id))
        await notices.proforma_issued(s, bind_tenant(tenant, runtime.plugins), placed, proforma, now=ISSUED)
    told = await _told(runtime, tenant, "order.proforma_issued")
    assert sorted(m.payload["proforma_id"] for m in told) == sorted([str(first.proforma.id), str(second.proforma.id)])
    [later] = [m for m in told if m.payload["proforma_id"] == str(second.proforma.id)]
    assert later.payload["last_day"] == "2026-06-10" and "June 10, 2026" in later.body


async def test_the_worker_tells_the_customer_why_it_cancelled_at_60_days_not_59(runtime, make_tenant):
    tenant = await _tenant(make_tenant)
    await add_catalogue(runtime, tenant)
    customer = await _customer(runtime, tenant, phone="+989121234567", locale="fa")
    taken = tehran("2026-05-02", 10)
    order = await place(runtime, tenant, customer, taken)
    await followup.sweep_orders(runtime, tenant.id, taken + timedelta(days=59, hours=23))
    assert await _told(runtime, tenant, "order.cancelled_unfunded") == []
    await followup.sweep_orders(runtime, tenant.id, taken + timedelta(days=60))
    await followup.sweep_orders(runtime, tenant.id, taken + timedelta(days=61))
    [sms] = await _told(runtime, tenant, "order.cancelled_unfunded")
    assert sms.channel == "sms" and sms.payload["order_id"] == str(order)
    assert "لغو شد" in sms.body and "\u2068۶۰\u2069 روز" in sms.body  # cancelled, because not paid within 60 days
    assert sms.payload["reason"] == "not funded within 60 days"


async def test_a_cheque_escalation_tells_the_customer_their_order_stays_open(runtime, make_tenant):
    tenant = await _tenant(make_tenant)
    await add_catalogue(runtime, tenant)
    customer = await _customer(runtime, tenant, email="sara@example.com", locale="en")
    taken = tehran("2026-05-02", 10)
    order = await place(runtime, tenant, customer, taken, plan="cheque")
    issued = await issue(runtime, tenant, order, taken)
    await pay(runtime, tenant, order, issued.proforma.id, taken, method="cheque", reference="CHQ-1")
    await followup.sweep_orders(runtime, tenant.id, tehran("2026-05-05", 9, 59))
    assert await _told(runtime, tenant, "order.cheque_in_review") == []
    await followup.sweep_orders(runtime, tenant.id, tehran("2026-05-05", 10))
    await followup.sweep_orders(runtime, tenant.id, tehran("2026-07-05", 10))  # past 60 days: kept, told once
    [email] = await _told(runtime, tenant, "order.cheque_in_review")
    assert email.recipient == "sara@example.com" and "Your order stays open until they decide" in email.body
