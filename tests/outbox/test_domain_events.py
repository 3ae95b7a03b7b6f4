"""Domain moments emit their catalogue events, end to end through the API or the worker: SLA clocks at risk and
breached from the worker's sweeps (once per clock, not while paused), a complaint filed with its request opened,
a capture announced once however often it is repeated, a registration and its claim, a booking rescheduled and
completed, a refund decided twice and paid out. The SLA tenant is an Iranian one (Tehran time, Friday weekend,
08:00–17:00) whose inquiries have one clock: a first response within 2 business days (18 opening hours), at
risk at 80% of it."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlalchemy import select

from aftersales.identity.customers import CustomerDetails
from aftersales.outbox.events import CATALOGUE
from aftersales.outbox.models import OutboxMessage
from aftersales.service.clocks.escalation import sweep_breaches, warn_at_risk
from aftersales.service.requests import services as requests
from aftersales.tenancy.current import bind_tenant
from support.service import IRAN, tehran


@pytest.fixture
async def iranian(runtime, make_tenant, client, staff_token):
    record = await make_tenant("mehr", **IRAN)
    admin = await staff_token(record, "admin")
    response = await client.post("/api/v1/webhooks/", headers=admin, json={
        "url": "https://erp.mehr-demo.com/hooks", "events": ["sla.at_risk", "sla.breached"]})
    assert response.status_code == 201, response.text
    return bind_tenant(record, runtime.plugins)


async def open_inquiry(runtime, tenant, when: datetime):
    async with runtime.db.transaction(tenant.record.id) as session:
        new = requests.NewRequest(kind="inquiry", channel="phone", summary="how do I set up e-mail?",
                                  customer=CustomerDetails(name="Test Customer", phone="+98 912 000 0001"))
        return (await requests.open_request(session, tenant, new, actor="staff:test", now=when)).id


async def events(runtime, tenant_id):
    async with runtime.db.session(tenant_id) as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "webhook")
                                     .order_by(OutboxMessage.created_at, OutboxMessage.id))
        return [(m.event, m.payload) for m in rows]


async def test_a_clock_is_announced_at_risk_once_when_it_used_80_percent_then_breached_once(runtime, iranian):
    # Saturday 4 April 2026 10:00: 18 opening hours make it due Monday 10:00; 14.4 hours, Sunday 15:24.
    request_id = await open_inquiry(runtime, iranian, tehran("2026-04-04", 10))
    tenant_id = iranian.record.id
    assert await warn_at_risk(runtime, tenant_id, tehran("2026-04-05", 15, 23)) == 0
    assert await warn_at_risk(runtime, tenant_id, tehran("2026-04-05", 15, 24)) == 1
    assert await warn_at_risk(runtime, tenant_id, tehran("2026-04-05", 16)) == 0
    assert await sweep_breaches(runtime, tenant_id, tehran("2026-04-06", 10)) == 1
    assert await warn_at_risk(runtime, tenant_id, tehran("2026-04-06", 11)) == 0

    (at_risk, at_risk_data), (breached, breached_data) = await events(runtime, tenant_id)
    assert (at_risk, breached) == ("sla.at_risk", "sla.breached")
    assert {k: at_risk_data[k] for k in ("version", "request_id", "number", "clock")} == {
        "version": 1, "request_id": str(request_id), "number": 1, "clock": "first_response"}
    assert datetime.fromisoformat(at_risk_data["at_risk_at"]) == tehran("2026-04-05", 15, 24)
    assert datetime.fromisoformat(at_risk_data["due_at"]) == tehran("2026-04-06", 10)
    assert (breached_data["clock"], breached_data["action"]) == ("first_response", "notify")
    assert datetime.fromisoformat(breached_data["due_at"]) == tehran("2026-04-06", 10)
    for name, data in ((at_risk, at_risk_data), (breached, breached_data)):
        CATALOGUE[name].model_validate({k: v for k, v in data.items() if k != "version"})


async def test_a_paused_clock_is_not_at_risk_and_one_first_swept_after_its_due_time_is_only_breached(
        runtime, iranian):
    paused_id = await open_inquiry(runtime, iranian, tehran("2026-04-04", 10))
    async with runtime.db.transaction(iranian.record.id) as session:
        await requests.put_on_hold(session, iranian, paused_id, "waiting_for_customer", actor="staff:test",
                                   note="customer is sending the invoice", now=tehran("2026-04-04", 11))
    late = await open_inquiry(runtime, iranian, tehran("2026-04-04", 12))
    # Tuesday: the running clock is past due, the paused one has used one hour of eighteen.
    assert await warn_at_risk(runtime, iranian.record.id, tehran("2026-04-07", 12)) == 0
    assert await sweep_breaches(runtime, iranian.record.id, tehran("2026-04-07", 12)) == 1
    assert [(name, data["request_id"]) for name, data in await events(runtime, iranian.record.id)] == [
        ("sla.breached", str(late))]


async def test_filing_a_complaint_announces_the_complaint_and_its_request_together(client, make_tenant, staff_token,
                                                                                     runtime):
    acme = await make_tenant("acme")
    admin = await staff_token(acme, "admin")
    await client.post("/api/v1/webhooks/", headers=admin, json={
        "url": "https://erp.acme.example/hooks", "events": ["complaint.filed", "request.opened"]})
    filed = await client.post("/api/v1/complaints/", headers=admin, json={
        "channel": "phone", "subject": "cost", "summary": "nobody told me anything for a week",
        "customer": {"name": "Sara Example", "phone": "+49 30 901820"}})
    assert filed.status_code == 201, filed.text
    refused = await client.post("/api/v1/complaints/", headers=admin, json={
        "channel": "phone", "subject": "cost", "summary": "", "customer": {"name": "Sara Example"}})
    assert refused.status_code == 422  # the request would have opened in a savepoint: nothing is queued for it

    queued = await events(runtime, acme.id)
    assert [name for name, _ in queued] == ["request.opened", "complaint.filed"]
    assert queued[1][1]["complaint_id"] == filed.json()["id"]
    assert queued[0][1]["request_id"] == queued[1][1]["request_id"] == filed.json()["request_id"]


async def test_a_capture_is_announced_once_however_often_the_provider_repeats_it(client, make_tenant, staff_token,
                                                                                 customer_token, runtime):
    from aftersales.payments.customer_payments import services as payments
    from aftersales.payments.ledger.models import Payment
    from aftersales.payments.ledger.services import Posting
    from aftersales.payments.providers.base import ProviderOutcome

    acme = await make_tenant("acme")
    admin, finance = await staff_token(acme, "admin"), await staff_token(acme, "finance")
    await client.post("/api/v1/webhooks/", headers=admin, json={
        "url": "https://erp.acme.example/hooks", "events": ["payment.captured"]})
    customer_id, _ = await customer_token(acme)
    paid = await client.post("/api/v1/payments", headers=finance, json={
        "customer_id": str(customer_id), "purpose": "repair", "amount_minor": 120_00, "currency": "EUR",
        "provider": "offline", "method": "cash"})
    assert paid.status_code == 201, paid.text
    async with runtime.db.transaction(acme.id) as session:  # the same news again, as a provider's webhook would
        payment = await session.scalar(select(Payment).where(Payment.id == uuid.UUID(paid.json()["id"])))
        await payments.apply_outcome(session, payment, ProviderOutcome("succeeded"),
                                     Posting("provider", "repeated", payment.operation_id, payment.updated_at))

    ((name, data),) = await events(runtime, acme.id)
    assert name == "payment.captured"
    assert {k: data[k] for k in ("payment_id", "customer_id", "amount_minor", "currency", "method")} == {
        "payment_id": paid.json()["id"], "customer_id": str(customer_id), "amount_minor": 120_00, "currency": "EUR",
        "method": "cash"}


async def test_a_registration_and_its_claims_decided_by_the_vertical_are_announced(client, make_tenant, staff_token,
                                                                                   runtime):
    from datetime import timedelta

    from support.warranty import add_unit
    from support.warranty import tenant_today as today

    yzy = await make_tenant("yzy", vertical="auto_service",
                            settings={"auto_service": {"serial_scheme": "pattern",
                                                       "serial_pattern": "^YZY-[0-9]{4}-[0-9]{5}$"}})
    await add_unit(runtime, yzy, "YZY-2026-00003", sku="WB-1", volume_m3=0.5, weight_kg=100)
    admin = await staff_token(yzy, "admin")
    await client.post("/api/v1/webhooks/", headers=admin, json={
        "url": "https://erp.yzy.example/hooks", "events": ["registration.created", "claim.decided"]})
    sold = today() - timedelta(days=8)
    registered = await client.post("/api/v1/registrations/", headers=admin, json={
        "serial": "YZY-2026-00003", "purchased_on": sold.isoformat(), "price": "1200.00",
        "owner": {"name": "Workshop School", "email": "workshop@example.edu"}})
    assert registered.status_code == 201, registered.text
    late = await client.post("/api/v1/claims/", headers=admin, json={
        "registration_id": registered.json()["id"], "kind": "return",
        "reported_on": (sold + timedelta(days=8)).isoformat(), "packaging_complete": True,
        "accessories_complete": True, "product_number_matches": True, "receipts_shown": True,
        "warranty_voucher_shown": True, "paid_in_full": True})
    assert late.status_code == 201, late.text

    (created, created_data), (decided, decided_data) = await events(runtime, yzy.id)
    assert (created, decided) == ("registration.created", "claim.decided")
    assert (created_data["registration_id"], created_data["serial"], created_data["model_sku"]) == (
        registered.json()["id"], "YZY-2026-00003", "WB-1")
    assert (decided_data["claim_id"], decided_data["decision"], decided_data["failed_conditions"]) == (
        late.json()["id"], "reject", late.json()["failed_conditions"])


async def test_a_booking_its_reschedule_and_its_completion_are_announced(client, make_tenant, staff_token,
                                                                         customer_token, provider_token, runtime):
    from support.marketplace import add_provider, at, working_monday

    acme = await make_tenant("acme")
    admin = await staff_token(acme, "admin")
    await client.post("/api/v1/webhooks/", headers=admin, json={"url": "https://erp.acme.example/hooks", "events": [
        "booking.created", "booking.cancelled", "booking.completed"]})
    garage = await add_provider(runtime, acme)
    _, me = await customer_token(acme)
    monday = working_monday(runtime, acme)
    booked = await client.post("/api/v1/marketplace/bookings", headers=me, json={
        "provider_id": str(garage.provider_id), "offering_id": str(garage.offering_id),
        "starts_at": at(monday, 10).isoformat()})
    assert booked.status_code == 201, booked.text
    first = booked.json()["id"]
    moved = await client.post(f"/api/v1/marketplace/bookings/{first}/reschedule", headers=me,
                              json={"starts_at": at(monday, 14).isoformat()})
    assert moved.status_code in (200, 201), moved.text
    second = moved.json()["id"]
    mine = await provider_token(acme, garage.provider_id)
    for action in ("arrival", "completion"):
        assert (await client.post(f"/api/v1/marketplace/bookings/{second}/{action}", headers=mine)).status_code == 200

    queued = await events(runtime, acme.id)
    assert [(name, data["booking_id"]) for name, data in queued] == [
        ("booking.created", first), ("booking.cancelled", first), ("booking.created", second),
        ("booking.completed", second)]
    assert queued[2][1]["rescheduled_from_id"] == first and queued[1][1]["reason"].startswith("rescheduled to")


async def test_a_refund_decided_by_the_policy_then_by_finance_and_paid_out_is_announced(
        client, make_tenant, staff_token, customer_token, runtime):
    from support.payments import add_payment
    from support.refunds import entekhab, record_identity

    tenant = await entekhab(make_tenant)
    admin, finance = await staff_token(tenant, "admin"), await staff_token(tenant, "finance")
    await client.post("/api/v1/webhooks/", headers=admin, json={"url": "https://erp.entekhab.example/hooks",
                                                                "events": ["refund.decided", "refund.executed"]})
    customer_id, customer = await customer_token(tenant)
    payment = await add_payment(runtime, tenant, customer_id, 29_999_999, currency="IRR")
    assert (await record_identity(client, admin, customer_id)).status_code == 200
    refund = (await client.post("/api/v1/refunds", headers=customer, json={
        "source": "payment", "payment_id": str(payment)})).json()
    await client.post(f"/api/v1/refunds/{refund['id']}/approve", json={"note": "ok"}, headers=finance)
    executed = await client.post(f"/api/v1/refunds/{refund['id']}/execute", json={"reference": "SATNA-7781"},
                                 headers=finance)
    assert executed.status_code == 200, executed.text

    queued = await events(runtime, tenant.id)
    assert [(name, data.get("state"), data.get("decided_by")) for name, data in queued] == [
        ("refund.decided", "awaiting_approval", "policy"), ("refund.decided", "approved", "finance"),
        ("refund.executed", None, None)]
    assert (queued[2][1]["amount_minor"], queued[2][1]["method"], queued[2][1]["reference"]) == (
        29_999_999, "bank_transfer", "SATNA-7781")


async def test_a_recall_launch_is_announced_with_its_reach_and_a_refused_launch_is_not(client, make_tenant,
                                                                                       staff_token, runtime):
    from support.recalls import add_units, launched, register
    from support.warranty import imei

    mehr = await make_tenant("mehr")
    await add_units(runtime, mehr, [imei(0), imei(1)])
    admin = await staff_token(mehr, "admin")
    await client.post("/api/v1/webhooks/", headers=admin, json={"url": "https://erp.mehr-demo.com/hooks",
                                                                "events": ["recall.launched"]})
    await register(client, admin, imei(0), email="sara@example.com")
    campaign = await launched(client, admin, model_sku="PH-1")
    again = await client.post(f"/api/v1/recalls/{campaign['id']}/launch", headers=admin)
    assert again.status_code == 409  # launched already: refused, nothing new queued

    ((name, data),) = await events(runtime, mehr.id)
    assert name == "recall.launched"
    assert (data["campaign_id"], data["title"], data["units"], data["notified_owners"]) == (
        campaign["id"], "Battery swelling", 2, 1)
