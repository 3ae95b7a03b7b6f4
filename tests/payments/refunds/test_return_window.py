"""Yizhongyi's 7-day return refund (seed 003) counts from the sale on the unit's registration, not from the
payment, and is tied to the return claim that qualified: a unit bought 7 days ago whose return was accepted is
refunded; one bought 8 days ago whose return was rejected is refused with the reason, though it was paid today.
A return refund that names no unit is refused, asking for the sale date."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from aftersales.payments.refunds.models import Refund
from support.payments import add_payment
from support.warranty import add_unit
from support.warranty import tenant_today as today

YZY = {"auto_service": {"serial_scheme": "pattern", "serial_pattern": "^YZY-[0-9]{4}-[0-9]{5}$"}}
BALANCER = "YZY-2026-00003"
FULL_RETURN = {"packaging_complete": True, "accessories_complete": True, "product_number_matches": True,
               "receipts_shown": True, "warranty_voucher_shown": True, "paid_in_full": True}
PRICE_MINOR = 120_000


async def returned_unit(client, runtime, make_tenant, staff_token, customer_token, days_ago: int,
                        returned_on_day: int | None = None):
    """A balancer sold ``days_ago`` days ago, returned today or on ``returned_on_day`` of the sale (the claim
    decided by Yizhongyi's rules), paid today in full; the tenant, owner's token, the claim and the payment."""
    tenant = await make_tenant("yzy", vertical="auto_service", settings=YZY)
    agent = await staff_token(tenant, "agent")
    await add_unit(runtime, tenant, BALANCER, sku="WB-1", volume_m3=0.5, weight_kg=100)
    registered = await client.post("/api/v1/registrations/", headers=agent, json={
        "serial": BALANCER, "purchased_on": (today() - timedelta(days=days_ago)).isoformat(), "price": "1200.00",
        "owner": {"name": "Workshop School", "email": "workshop@example.edu"}})
    assert registered.status_code == 201, registered.text
    registration = registered.json()
    returned_on = today() - timedelta(days=days_ago - (days_ago if returned_on_day is None else returned_on_day))
    claimed = await client.post("/api/v1/claims/", headers=agent, json={
        "registration_id": registration["id"], "kind": "return", "reported_on": returned_on.isoformat(),
        **FULL_RETURN})
    assert claimed.status_code == 201, claimed.text
    customer_id, customer = await customer_token(tenant, uuid.UUID(registration["owner"]["id"]))
    payment = await add_payment(runtime, tenant, customer_id, PRICE_MINOR, currency="EUR")  # the test tenants pay in EUR
    return tenant, customer, claimed.json(), payment


async def ask_return(client, headers, payment, **origin):
    return await client.post("/api/v1/refunds", headers=headers, json={
        "source": "return", "payment_id": str(payment), **{k: str(v) for k, v in origin.items()}})


async def test_a_return_accepted_on_day_7_of_the_sale_is_refunded_in_full(client, runtime, make_tenant, staff_token,
                                                                         customer_token):
    tenant, customer, claim, payment = await returned_unit(client, runtime, make_tenant, staff_token,
                                                           customer_token, days_ago=7)
    assert claim["decision"] == "return"
    asked = await ask_return(client, customer, payment, claim_id=claim["id"])
    assert asked.status_code == 201, asked.text
    refund = asked.json()
    assert (refund["state"], refund["amount_minor"], refund["claim_id"]) == (
        "awaiting_approval", PRICE_MINOR, claim["id"])
    assert refund["reasons"][0].startswith("returned within 7 days of the sale and paid in full")
    async with runtime.db.transaction(tenant.id) as s:
        facts = (await s.scalar(select(Refund).where(Refund.id == uuid.UUID(refund["id"])))).facts
    assert (facts["days_since_sale"], facts["claim_decision"]) == (7, "return")


async def test_a_unit_sold_8_days_ago_is_refused_though_paid_today(client, runtime, make_tenant, staff_token,
                                                                  customer_token):
    _, customer, claim, payment = await returned_unit(client, runtime, make_tenant, staff_token, customer_token,
                                                      days_ago=8)
    assert claim["decision"] == "reject"  # "the return period ended on …"
    asked = await ask_return(client, customer, payment, claim_id=claim["id"])
    assert asked.status_code == 201, asked.text
    refund = asked.json()
    assert (refund["state"], refund["amount_minor"], refund["claim_id"]) == ("refused", 0, claim["id"])
    assert refund["reasons"] == ["a return is refunded within 7 days of the sale; this sale was 8 days ago"]


async def test_a_return_refund_naming_no_unit_is_refused_asking_for_the_sale_date(client, runtime, make_tenant,
                                                                                staff_token, customer_token):
    _, customer, _, payment = await returned_unit(client, runtime, make_tenant, staff_token, customer_token,
                                                  days_ago=2)
    asked = await ask_return(client, customer, payment)
    assert asked.status_code == 201, asked.text
    refund = asked.json()
    assert (refund["state"], refund["requirements"]) == ("refused", ["sale_date"])
    assert "names no unit" in refund["reasons"][0]


async def test_a_return_accepted_on_day_7_is_refunded_when_asked_on_day_9(client, runtime, make_tenant, staff_token,
                                                                         customer_token):
    _, customer, claim, payment = await returned_unit(client, runtime, make_tenant, staff_token, customer_token,
                                                      days_ago=9, returned_on_day=7)
    assert claim["decision"] == "return"
    asked = await ask_return(client, customer, payment, claim_id=claim["id"])
    assert asked.status_code == 201, asked.text
    assert (asked.json()["state"], asked.json()["amount_minor"]) == ("awaiting_approval", PRICE_MINOR)
