"""The refund workflow through the API on both databases: request, the vertical's decision stored with its
reasons, finance approval, execution into the ledger, the customer told through the outbox, every step on the
refund's timeline; each endpoint refuses another tenant, and a customer sees only their own refunds."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.outbox.models import OutboxMessage
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import LedgerEntry
from support.payments import add_payment
from support.refunds import entekhab, record_identity


async def ask(client, headers, **body):
    return await client.post("/api/v1/refunds", json=body, headers=headers)


async def test_entekhab_cash_refund_under_3m_toman_is_approved_by_finance_and_executed(
        runtime, client, make_tenant, staff_token, customer_token):
    tenant = await entekhab(make_tenant)
    agent, finance = await staff_token(tenant, "agent"), await staff_token(tenant, "finance")
    customer_id, customer = await customer_token(tenant)
    payment = await add_payment(runtime, tenant, customer_id, 29_999_999, currency="IRR")
    assert (await record_identity(client, agent, customer_id)).status_code == 200

    asked = await ask(client, customer, source="payment", payment_id=str(payment), note="the fridge is too big")
    assert asked.status_code == 201, asked.text
    refund = asked.json()
    assert (refund["state"], refund["method"], refund["amount_minor"]) == ("awaiting_approval", "bank_transfer",
                                                                          29_999_999)
    assert refund["requirements"] == [] and "paid to the customer's IBAN" in refund["reasons"][0]

    approved = await client.post(f"/api/v1/refunds/{refund['id']}/approve", json={"note": "ok"}, headers=finance)
    assert approved.json()["state"] == "approved"
    no_reference = await client.post(f"/api/v1/refunds/{refund['id']}/execute", json={}, headers=finance)
    assert no_reference.status_code == 422 and no_reference.json()["errors"][0]["field"] == "reference"
    executed = await client.post(f"/api/v1/refunds/{refund['id']}/execute", json={"reference": "SATNA-7781"},
                                 headers=finance)
    assert executed.status_code == 200, executed.text
    body = executed.json()
    assert (body["state"], body["reference"]) == ("executed", "SATNA-7781")
    assert [e["kind"] for e in body["timeline"]] == ["requested", "awaiting_approval", "approved", "executed"]
    again = await client.post(f"/api/v1/refunds/{refund['id']}/execute", json={"reference": "SATNA-7781"},
                              headers=finance)
    assert again.status_code == 409

    async with runtime.db.transaction(tenant.id) as s:
        totals = await ledger.payment_totals(s, payment)
        entry = await s.scalar(select(LedgerEntry).where(LedgerEntry.kind == "refund"))
        events = (await s.scalars(select(OutboxMessage.event).order_by(OutboxMessage.created_at))).all()
    assert totals.refunded == Money(29_999_999, "IRR") and totals.refundable == Money(0, "IRR")
    assert (entry.operation_id, entry.provider_ref) == (f"refund:{refund['id']}", "SATNA-7781")
    assert events == ["refund.awaiting_approval", "refund.approved", "refund.executed"]


async def test_entekhab_cash_refund_without_an_iban_is_refused_naming_it(
        runtime, client, make_tenant, staff_token, customer_token):
    tenant = await entekhab(make_tenant)
    agent = await staff_token(tenant, "agent")
    customer_id, customer = await customer_token(tenant)
    payment = await add_payment(runtime, tenant, customer_id, 10_000_000, currency="IRR")
    await record_identity(client, agent, customer_id, iban=None, iban_owner_national_id=None)

    asked = await ask(client, agent, source="payment", payment_id=str(payment), customer_id=str(customer_id))
    assert asked.status_code == 201
    refund = asked.json()
    assert (refund["state"], refund["requirements"], refund["amount_minor"]) == ("refused", ["iban"], 0)
    seen = (await client.get(f"/api/v1/refunds/{refund['id']}", headers=customer)).json()
    assert "the customer must have an IBAN (Sheba) on file" in seen["reasons"]
    assert [e["kind"] for e in seen["timeline"]] == ["requested", "refused"]
    refused = await client.post(f"/api/v1/refunds/{refund['id']}/approve", json={},
                                headers=await staff_token(tenant, "finance"))
    assert refused.status_code == 409


async def test_at_3m_toman_cash_is_refused_and_the_wallet_offered_then_credited(
        runtime, client, make_tenant, staff_token, customer_token):
    tenant = await entekhab(make_tenant)
    finance = await staff_token(tenant, "finance")
    customer_id, customer = await customer_token(tenant)
    payment = await add_payment(runtime, tenant, customer_id, 30_000_000, currency="IRR")

    cash = (await ask(client, customer, source="payment", payment_id=str(payment))).json()
    assert (cash["state"], cash["offered_methods"]) == ("refused", ["wallet"])
    credit = (await ask(client, customer, source="payment", payment_id=str(payment), method="wallet")).json()
    assert (credit["state"], credit["method"]) == ("awaiting_approval", "wallet")
    await client.post(f"/api/v1/refunds/{credit['id']}/approve", json={}, headers=finance)
    executed = await client.post(f"/api/v1/refunds/{credit['id']}/execute", json={}, headers=finance)
    assert executed.json()["state"] == "executed"
    async with runtime.db.transaction(tenant.id) as s:
        assert await ledger.wallet_balance(s, customer_id, "IRR") == Money(30_000_000, "IRR")
        assert (await ledger.payment_totals(s, payment)).refunded == Money(30_000_000, "IRR")


async def test_wallet_balance_under_500k_toman_is_paid_out_and_at_500k_refused(
        runtime, client, make_tenant, staff_token, customer_token):
    tenant = await entekhab(make_tenant)
    finance = await staff_token(tenant, "finance")
    small_id, small = await customer_token(tenant)
    large_id, large = await customer_token(tenant)
    async with runtime.db.transaction(tenant.id) as s:
        await ledger.credit_wallet(s, small_id, Money(4_999_999, "IRR"),
                                   ledger.Posting("finance:1", "top-up", "top-up-small", utcnow()))
        await ledger.credit_wallet(s, large_id, Money(5_000_000, "IRR"),
                                   ledger.Posting("finance:1", "top-up", "top-up-large", utcnow()))

    refused = (await ask(client, large, source="wallet_balance")).json()
    assert refused["state"] == "refused" and "can only be spent on products" in refused["reasons"][0]
    refund = (await ask(client, small, source="wallet_balance")).json()
    assert (refund["state"], refund["method"], refund["amount_minor"]) == ("awaiting_approval", "bank_transfer",
                                                                          4_999_999)
    await client.post(f"/api/v1/refunds/{refund['id']}/approve", json={}, headers=finance)
    done = await client.post(f"/api/v1/refunds/{refund['id']}/execute", json={"reference": "PAYA-1"},
                             headers=finance)
    assert done.json()["state"] == "executed"
    async with runtime.db.transaction(tenant.id) as s:
        assert await ledger.wallet_balance(s, small_id, "IRR") == Money(0, "IRR")


async def test_reject_needs_a_note_and_tells_the_customer(runtime, client, make_tenant, staff_token,
                                                          customer_token):
    tenant = await make_tenant("acme")
    finance = await staff_token(tenant, "finance")
    customer_id, customer = await customer_token(tenant)
    payment = await add_payment(runtime, tenant, customer_id, 100_00)
    refund = (await ask(client, customer, source="payment", payment_id=str(payment), amount_minor=40_00)).json()
    assert (refund["state"], refund["method"], refund["amount_minor"]) == ("awaiting_approval", "original_payment",
                                                                          40_00)
    silent = await client.post(f"/api/v1/refunds/{refund['id']}/reject", json={}, headers=finance)
    assert silent.status_code == 422 and silent.json()["errors"][0]["field"] == "note"
    rejected = await client.post(f"/api/v1/refunds/{refund['id']}/reject",
                                 json={"note": "the unit was damaged by misuse"}, headers=finance)
    assert rejected.json()["state"] == "rejected"
    async with runtime.db.transaction(tenant.id) as s:
        body = await s.scalar(select(OutboxMessage.body).where(OutboxMessage.event == "refund.rejected"))
    assert "the unit was damaged by misuse" in body


async def test_original_payment_refund_through_the_offline_provider_and_a_retry_posts_once(
        runtime, client, make_tenant, staff_token, customer_token):
    from aftersales.payments.refunds import execution as refund_execution
    from aftersales.tenancy.current import bind_tenant

    tenant = await make_tenant("acme")
    finance = await staff_token(tenant, "finance")
    customer_id, customer = await customer_token(tenant)
    payment = await add_payment(runtime, tenant, customer_id, 100_00)
    refund = (await ask(client, customer, source="payment", payment_id=str(payment))).json()
    await client.post(f"/api/v1/refunds/{refund['id']}/approve", json={}, headers=finance)

    class Crash(Exception):
        pass

    try:  # the provider was called and the ledger written, then the process died before the commit
        async with runtime.db.transaction(tenant.id) as s:
            await refund_execution.execute(s, runtime.settings, bind_tenant(tenant, runtime.plugins),
                                           uuid.UUID(refund["id"]),
                                           actor="staff:x", reference=None, now=utcnow())
            raise Crash
    except Crash:
        pass
    done = await client.post(f"/api/v1/refunds/{refund['id']}/execute", json={}, headers=finance)
    assert done.json()["state"] == "executed"
    async with runtime.db.transaction(tenant.id) as s:
        refunds = (await s.scalars(select(LedgerEntry).where(LedgerEntry.kind == "refund"))).all()
    assert [(e.operation_id, e.amount_minor) for e in refunds] == [(f"refund:{refund['id']}", 100_00)]


async def test_a_customer_sees_and_asks_only_for_their_own(runtime, client, make_tenant, staff_token,
                                                           customer_token):
    tenant = await make_tenant("acme")
    alice_id, alice = await customer_token(tenant)
    _, bob = await customer_token(tenant)
    payment = await add_payment(runtime, tenant, alice_id, 100_00)
    refund = (await ask(client, alice, source="payment", payment_id=str(payment))).json()

    assert (await client.get("/api/v1/refunds", headers=bob)).json() == []
    assert [r["id"] for r in (await client.get("/api/v1/refunds", headers=alice)).json()] == [refund["id"]]
    assert (await client.get(f"/api/v1/refunds/{refund['id']}", headers=bob)).status_code == 404
    assert (await ask(client, bob, source="payment", payment_id=str(payment))).status_code == 404
    assert (await ask(client, bob, source="payment", payment_id=str(payment),
                      customer_id=str(alice_id))).status_code == 404
    assert (await client.post(f"/api/v1/refunds/{refund['id']}/approve", json={}, headers=alice)).status_code == 403
    staff = await staff_token(tenant, "agent")
    assert len((await client.get(f"/api/v1/refunds?customer_id={alice_id}", headers=staff)).json()) == 1


async def test_every_refund_endpoint_refuses_another_tenant(runtime, client, make_tenant, staff_token,
                                                            customer_token):
    acme, other = await make_tenant("acme"), await make_tenant("other")
    customer_id, customer = await customer_token(acme)
    payment = await add_payment(runtime, acme, customer_id, 100_00)
    refund = (await ask(client, customer, source="payment", payment_id=str(payment))).json()
    intruder = await staff_token(other, "admin")
    _, outsider = await customer_token(other)

    assert (await client.get(f"/api/v1/refunds/{refund['id']}", headers=intruder)).status_code == 404
    assert (await client.get("/api/v1/refunds", headers=intruder)).json() == []
    assert (await client.get("/api/v1/refunds", headers=outsider)).json() == []
    for step, body in (("approve", {}), ("reject", {"note": "x"}), ("execute", {"reference": "x"})):
        answer = await client.post(f"/api/v1/refunds/{refund['id']}/{step}", json=body, headers=intruder)
        assert answer.status_code == 404, step
    assert (await ask(client, intruder, source="payment", payment_id=str(payment),
                      customer_id=str(customer_id))).status_code == 404
    assert (await ask(client, outsider, source="payment", payment_id=str(payment))).status_code == 404
    assert (await client.get(f"/api/v1/refunds/{refund['id']}", headers=customer)).json()["state"] == (
        "awaiting_approval")


async def test_a_malformed_request_is_422_with_every_field_and_writes_nothing(runtime, client, make_tenant,
                                                                              customer_token, staff_token):
    tenant = await make_tenant("acme")
    _, customer = await customer_token(tenant)
    answer = await ask(client, customer, source="payment", amount_minor=0, expert_price_minor=5)
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"payment_id", "amount_minor", "expert_price_minor"}
    staff = await staff_token(tenant, "agent")
    assert (await ask(client, staff, source="wallet_balance")).json()["errors"][0]["field"] == "customer_id"
    assert (await client.get("/api/v1/refunds", headers=staff)).json() == []
