"""Pro-formas (seed 001): valid for the vertical's business days in the tenant's calendar — a holiday inside the
period pushes the expiry —, payable on day 7 and refused on day 8; paying one funds the order; a pro-forma
listing a product not ordered, or one out of stock, is a store violation filed against the store."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from aftersales.errors import Conflict, InvalidInput
from aftersales.orders.models import Order, ProForma
from aftersales.orders.proformas import ListedLine
from aftersales.outbox.models import OutboxMessage
from aftersales.payments.ledger.models import Payment
from aftersales.service.models import Complaint, ServiceRequest
from support.marketplace import add_customer
from support.orders import FRIDGE, OVEN, PRICES, WASHER, add_catalogue, entekhab, issue, pay, place
from support.service import TEHRAN, tehran


async def _setup(runtime, make_tenant, **settings):
    tenant = await entekhab(make_tenant, **settings)
    await add_catalogue(runtime, tenant)
    return tenant, await add_customer(runtime, tenant)


async def test_a_proforma_issued_before_eid_al_adha_is_valid_through_business_day_7(runtime, make_tenant):
    """Issued Saturday 23 May 2026: Sat, Sun, Mon, Tue are days 1–4, Wednesday 27 May is Eid al-Adha, Thursday
    is day 5, Friday the weekend, Saturday day 6 and Sunday 31 May day 7: valid until Monday's midnight."""
    tenant, customer = await _setup(runtime, make_tenant)
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9))
    issued = await issue(runtime, tenant, order, tehran("2026-05-23", 10))
    assert issued.violation is None and issued.proforma.state == "open"
    assert issued.proforma.valid_until.astimezone(TEHRAN) == tehran("2026-06-01", 0)
    assert issued.proforma.total_minor == PRICES[FRIDGE]


async def test_day_7_across_the_holiday_is_payable_and_funds_a_cash_order(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant)
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9))
    issued = await issue(runtime, tenant, order, tehran("2026-05-23", 10))
    paid = await pay(runtime, tenant, order, issued.proforma.id, tehran("2026-05-31", 23, 59))  # day 7, last minute
    assert (paid.state, paid.funded_at) == ("funded", tehran("2026-05-31", 23, 59))
    async with runtime.db.transaction(tenant.id) as s:
        payment = await s.scalar(select(Payment).where(Payment.id == paid.payment_id))
        proforma = await s.scalar(select(ProForma).where(ProForma.id == issued.proforma.id))
        events = set(await s.scalars(select(OutboxMessage.event)))
    assert (payment.state, payment.method, payment.purpose, payment.subject_id) == ("captured", "cash", "order", order)
    assert payment.amount_minor == PRICES[FRIDGE] and proforma.state == "paid"
    # the customer's pro-forma notice; no endpoints: no webhook queued
    assert events <= {"order.created", "order.funded", "payment.captured", "order.proforma_issued"}


async def test_day_8_is_refused_as_expired_and_nothing_is_paid(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant)
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9))
    issued = await issue(runtime, tenant, order, tehran("2026-05-23", 10))
    with pytest.raises(Conflict, match="expired") as refused:
        await pay(runtime, tenant, order, issued.proforma.id, tehran("2026-06-01", 0))  # day 8 begins
    assert refused.value.code == "proforma.expired"
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalar(select(Order).where(Order.id == order))).state == "awaiting_payment"
        assert (await s.scalars(select(Payment))).all() == []


async def test_the_validity_is_the_tenants_own_setting(runtime, make_tenant):
    """A tenant giving 3 business days: issued Saturday 23 May, valid through Monday 25 May."""
    tenant, customer = await _setup(runtime, make_tenant, proforma_valid_business_days=3)
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9))
    issued = await issue(runtime, tenant, order, tehran("2026-05-23", 10))
    assert issued.proforma.valid_until.astimezone(TEHRAN) == tehran("2026-05-26", 0)


async def test_a_cheque_payment_leaves_the_order_awaiting_until_the_cheque_clears(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant)
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9), plan="cheque")
    issued = await issue(runtime, tenant, order, tehran("2026-05-23", 10))
    with pytest.raises(InvalidInput) as refused:
        await pay(runtime, tenant, order, issued.proforma.id, tehran("2026-05-24", 10), method="cash")
    assert [e.field for e in refused.value.errors] == ["method"]
    paid = await pay(runtime, tenant, order, issued.proforma.id, tehran("2026-05-24", 10), method="cheque",
                     reference="CHQ-9")
    assert paid.state == "awaiting_payment" and paid.payment_id is not None


async def test_a_proforma_listing_a_product_not_ordered_is_a_store_violation_against_the_store(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant)
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9))
    issued = await issue(runtime, tenant, order, tehran("2026-05-23", 10),
                         lines=(ListedLine(OVEN, 1, PRICES[OVEN]),))
    assert issued.proforma.state == "void" and issued.violation is not None
    async with runtime.db.transaction(tenant.id) as s:
        complaint = await s.scalar(select(Complaint).where(Complaint.id == issued.violation.id))
        request = await s.scalar(select(ServiceRequest).where(ServiceRequest.id == complaint.request_id))
    assert (complaint.subject, complaint.contractor, complaint.order_id) == ("store_violation", "Tehran store 12", order)
    assert request.customer_id == customer and f"{OVEN} (Model {OVEN}) is listed but was not ordered" in request.summary
    with pytest.raises(Conflict, match="void"):
        await pay(runtime, tenant, order, issued.proforma.id, tehran("2026-05-23", 11))


async def test_a_proforma_issued_while_the_product_is_out_of_stock_is_a_store_violation(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant)
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9), skus=(WASHER,))
    issued = await issue(runtime, tenant, order, tehran("2026-05-23", 10))
    assert issued.violation is not None and issued.proforma.violation_complaint_id == issued.violation.id
    async with runtime.db.transaction(tenant.id) as s:
        request = await s.scalar(select(ServiceRequest).where(ServiceRequest.id == issued.violation.request_id))
    assert "was out of stock when the pro-forma was issued" in request.summary


async def test_a_matching_proforma_in_stock_raises_no_violation(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant)
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9), skus=(FRIDGE, OVEN))
    issued = await issue(runtime, tenant, order, tehran("2026-05-23", 10),
                         lines=(ListedLine(FRIDGE, 1, PRICES[FRIDGE]), ListedLine(OVEN, 1, PRICES[OVEN])))
    assert issued.violation is None and issued.proforma.state == "open"
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalars(select(Complaint))).all() == []


async def test_a_new_proforma_voids_the_open_one(runtime, make_tenant):
    tenant, customer = await _setup(runtime, make_tenant)
    order = await place(runtime, tenant, customer, tehran("2026-05-23", 9))
    first = await issue(runtime, tenant, order, tehran("2026-05-23", 10))
    await issue(runtime, tenant, order, tehran("2026-05-24", 10))
    with pytest.raises(Conflict, match="void"):
        await pay(runtime, tenant, order, first.proforma.id, tehran("2026-05-24", 11))
