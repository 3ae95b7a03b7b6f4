"""The Stripe provider over real HTTP against localstripe, through a recording proxy (Connect parameters and
Idempotency-Keys are asserted where they leave us)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.errors import Conflict
from aftersales.payments.ledger.models import Payment
from aftersales.payments.ledger.services import LedgerRefused, Posting
from aftersales.payments.providers.base import PaymentOrder
from aftersales.payments.providers.stripe import stripe_provider
from aftersales.payments.refunds.through_provider import refund_through
from support.marketplace import add_customer
from support.stripe import SECRET_KEY, TEST_CARD, add_stripe_payment, configure_stripe, ledger_of, provider


def order(amount: int, currency: str = "EUR", **extra) -> PaymentOrder:
    return PaymentOrder(payment_id=uuid.uuid4(), operation_id=f"pay-{uuid.uuid4()}", amount=Money(amount, currency),
                        customer_id=uuid.uuid4(), description="Screen repair", method="card", **extra)


async def card(api: str) -> str:
    async with httpx.AsyncClient(base_url=api, auth=(SECRET_KEY, "")) as http:
        answer = await http.post("/v1/payment_methods", data={"type": "card", **{f"card[{k}]": str(v)
                                                                                for k, v in TEST_CARD.items()}})
        return answer.json()["id"]


async def refunds_at_stripe(api: str, payment_ref: str) -> list[dict]:
    async with httpx.AsyncClient(base_url=api, auth=(SECRET_KEY, "")) as http:
        return (await http.get("/v1/refunds", params={"payment_intent": payment_ref})).json()["data"]


async def test_a_card_payment_is_created_for_the_browser_then_confirmed(runtime, make_tenant, stripe_proxy):
    tenant = await make_tenant("acme")
    await configure_stripe(runtime, tenant)
    stripe = await provider(runtime, tenant, stripe_proxy.url)
    paying = order(49_90)

    created = await stripe.collect(paying)
    confirmed = await stripe.confirm(created.provider_ref, await card(stripe_proxy.url), paying.operation_id)

    assert created.state == "requires_action" and created.client_secret.startswith(created.provider_ref)
    assert confirmed.state == "succeeded"
    create, attach, confirm = stripe_proxy.posts("/v1/payment_intents")
    assert (create.params["amount"], create.params["currency"], create.params["capture_method"]) == \
           ("4990", "eur", "automatic")
    assert create.headers["idempotency-key"] == f"{tenant.id}:{paying.operation_id}"
    assert attach.headers["idempotency-key"] == f"{tenant.id}:{paying.operation_id}:payment_method"
    assert confirm.headers["idempotency-key"] == f"{tenant.id}:{paying.operation_id}:confirm"
    assert create.params["metadata[operation_id]"] == paying.operation_id


async def test_a_marketplace_job_is_a_destination_charge_captured_later_and_refunded_with_the_transfer(
        runtime, make_tenant, stripe_proxy):
    tenant = await make_tenant("acme")
    await configure_stripe(runtime, tenant, connect_mode="destination")
    customer = await add_customer(runtime, tenant)
    stripe = await provider(runtime, tenant, stripe_proxy.url)
    job = order(100_00, capture_manually=True, destination="acct_1Garage", application_fee=Money(15_00, "EUR"))

    created = await stripe.collect(job)
    authorised = await stripe.confirm(created.provider_ref, await card(stripe_proxy.url), job.operation_id)
    captured = await stripe.capture(created.provider_ref, Money(80_00, "EUR"), f"{job.operation_id}:capture")
    payment = await add_stripe_payment(runtime, tenant, customer, 100_00, created.provider_ref, purpose="job",
                                       details={"provider_id": str(uuid.uuid4()), "payout_minor": 68_00,
                                                "fee_minor": 12_00})
    async with runtime.db.transaction(tenant.id) as s:
        from aftersales.payments.ledger import services as ledger
        row = await s.get(Payment, (tenant.id, payment.id))
        now = utcnow()
        await ledger.post_charge(s, row.id, 100_00, Posting("test", "authorised", f"{row.operation_id}:charge", now))
        await ledger.post_capture(s, row.id, 80_00, Posting("test", "captured", f"{row.operation_id}:capture", now))
        refunded = await refund_through(s, stripe, row, 20_00, Posting("agent", "scratch", "refund:r1", now))

    assert (authorised.state, captured.state, refunded.state) == ("succeeded", "succeeded", "succeeded")
    create = stripe_proxy.posts("/v1/payment_intents")[0]
    assert create.params["capture_method"] == "manual"
    assert create.params["transfer_data[destination]"] == "acct_1Garage"
    assert create.params["application_fee_amount"] == "1500"
    capture = stripe_proxy.posts("/v1/payment_intents/")[-1]
    assert capture.path.endswith("/capture") and capture.params["amount_to_capture"] == "8000"
    (refund,) = stripe_proxy.posts("/v1/refunds")
    assert refund.params == {"payment_intent": created.provider_ref, "amount": "2000",
                             "metadata[operation_id]": "refund:r1", "metadata[payment_id]": str(payment.id),
                             "metadata[reason]": "scratch", "reverse_transfer": "true",
                             "refund_application_fee": "true"}
    assert refund.headers["idempotency-key"] == f"{tenant.id}:refund:r1"
    assert [r["amount"] for r in await refunds_at_stripe(stripe_proxy.url, created.provider_ref)
            if r["metadata"].get("operation_id") == "refund:r1"] == [2000]
    assert ("refund", 20_00, "refund:r1") in await ledger_of(runtime, tenant, payment.id)


async def test_without_connect_a_job_for_a_provider_account_is_refused_before_stripe(runtime, make_tenant,
                                                                                     stripe_proxy):
    tenant = await make_tenant("acme")
    await configure_stripe(runtime, tenant, connect_mode="off")
    stripe = await provider(runtime, tenant, stripe_proxy.url)

    outcome = await stripe.collect(order(10_00, destination="acct_1Garage"))

    assert outcome.state == "failed" and "Connect" in outcome.failure_reason
    assert stripe_proxy.requests == []


async def test_rials_are_refused_with_offline_named_as_the_way(runtime, make_tenant, stripe_proxy):
    tenant = await make_tenant("acme")
    await configure_stripe(runtime, tenant)
    stripe = await provider(runtime, tenant, stripe_proxy.url)

    assert "offline" in stripe.refusal(Money(5_000_000, "IRR"), "card")
    assert stripe.refusal(Money(5_000, "EUR"), "card") is None
    assert "offline" in stripe.refusal(Money(5_000, "EUR"), "cheque")
    outcome = await stripe.collect(order(5_000_000, "IRR"))
    assert outcome.state == "failed" and "IRR" in outcome.failure_reason
    assert stripe_proxy.requests == []


async def test_capabilities_are_refund_partial_refund_and_payouts(runtime, make_tenant, stripe_proxy):
    tenant = await make_tenant("acme")
    await configure_stripe(runtime, tenant)
    caps = (await provider(runtime, tenant, stripe_proxy.url)).capabilities
    assert (caps.refund, caps.partial_refund, caps.payouts) == (True, True, True)


async def test_a_tenant_without_stripe_keys_has_no_stripe_provider(runtime, make_tenant):
    tenant = await make_tenant("acme")
    async with runtime.db.transaction(tenant.id) as s:
        with pytest.raises(Conflict, match="not configured"):
            await stripe_provider(s, runtime.settings)


async def _captured_card_payment(runtime, tenant, stripe, api, amount):
    customer = await add_customer(runtime, tenant)
    paying = order(amount)
    created = await stripe.collect(paying)
    await stripe.confirm(created.provider_ref, await card(api), paying.operation_id)
    payment = await add_stripe_payment(runtime, tenant, customer, amount, created.provider_ref)
    async with runtime.db.transaction(tenant.id) as s:
        from aftersales.payments.ledger import services as ledger
        now = utcnow()
        await ledger.post_charge(s, payment.id, amount, Posting("test", "paid", f"{payment.operation_id}:charge", now))
        await ledger.post_capture(s, payment.id, amount, Posting("test", "paid", f"{payment.operation_id}:capture", now))
    return payment


async def test_a_refund_beyond_the_capture_is_refused_by_the_ledger_before_stripe_is_called(
        runtime, make_tenant, stripe_proxy):
    tenant = await make_tenant("acme")
    await configure_stripe(runtime, tenant)
    stripe = await provider(runtime, tenant, stripe_proxy.url)
    payment = await _captured_card_payment(runtime, tenant, stripe, stripe_proxy.url, 30_00)
    stripe_proxy.requests.clear()

    async with runtime.db.transaction(tenant.id) as s:
        row = await s.get(Payment, (tenant.id, payment.id))
        with pytest.raises(LedgerRefused, match="more than can be given back"):
            await refund_through(s, stripe, row, 30_01, Posting("agent", "too much", "refund:big", utcnow()))
        full = await refund_through(s, stripe, row, 30_00, Posting("agent", "all of it", "refund:all",
                                                                          utcnow()))

    assert full.state == "succeeded"
    assert [r.path for r in stripe_proxy.posts()] == ["/v1/refunds"]  # only the full refund reached Stripe
    assert ("refund", 30_00, "refund:all") in await ledger_of(runtime, tenant, payment.id)


class CrashAfterStripe(Exception):
    """The process dying between Stripe's answer and the ledger write."""


async def test_a_crash_between_the_refund_at_stripe_and_the_ledger_is_recovered_without_a_second_refund(
        runtime, make_tenant, stripe_proxy):
    tenant = await make_tenant("acme")
    await configure_stripe(runtime, tenant)
    stripe = await provider(runtime, tenant, stripe_proxy.url)
    payment = await _captured_card_payment(runtime, tenant, stripe, stripe_proxy.url, 50_00)
    posting = Posting("agent", "faulty unit", f"refund:{uuid.uuid4()}", utcnow())
    real_refund = stripe.refund

    async def refund_then_crash(order):
        await real_refund(order)
        raise CrashAfterStripe

    stripe.refund = refund_then_crash
    with pytest.raises(CrashAfterStripe):
        async with runtime.db.transaction(tenant.id) as s:
            await refund_through(s, stripe, await s.get(Payment, (tenant.id, payment.id)), 20_00, posting)
    assert all(kind != "refund" for kind, _, _ in await ledger_of(runtime, tenant, payment.id))

    stripe.refund = real_refund
    async with runtime.db.transaction(tenant.id) as s:
        retried = await refund_through(s, stripe, await s.get(Payment, (tenant.id, payment.id)), 20_00,
                                              posting)

    at_stripe = await refunds_at_stripe(stripe_proxy.url, payment.provider_ref)
    assert [(r["id"], r["amount"]) for r in at_stripe] == [(retried.provider_ref, 2000)]
    assert [e for e in await ledger_of(runtime, tenant, payment.id) if e[0] == "refund"] == \
           [("refund", 20_00, posting.operation_id)]
    assert len(stripe_proxy.posts("/v1/refunds")) == 1
