"""Applying a provider's outcome, now or later (the Stripe webhook): idempotent, tolerant of order, and one
capture entry whichever path reports it."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.payments.customer_payments import services as service
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import LedgerEntry, Payment
from aftersales.payments.ledger.services import EntryKind, Posting
from aftersales.payments.providers.base import ProviderOutcome
from support.marketplace import add_customer
from support.payments import add_payment


async def apply(runtime, tenant, payment_id: uuid.UUID, outcome: ProviderOutcome) -> Payment:
    async with runtime.db.transaction(tenant.id) as s:
        payment = (await s.scalars(select(Payment).where(Payment.id == payment_id))).one()
        return await service.apply_outcome(s, payment, outcome, Posting("stripe", "webhook", "evt", utcnow()))


async def kinds(runtime, tenant, payment_id: uuid.UUID) -> list[str]:
    async with runtime.db.transaction(tenant.id) as s:
        return [e.kind for e in await ledger.entries(s, payment_id=payment_id)]


async def test_waiting_failing_then_succeeding_twice_posts_one_capture(runtime, make_tenant):
    acme = await make_tenant("acme")
    payment = await add_payment(runtime, acme, await add_customer(runtime, acme), 50_00, captured_minor=0)
    assert (await apply(runtime, acme, payment, ProviderOutcome("requires_action", "pi_1", "secret"))).state == (
        "requires_action")
    failed = await apply(runtime, acme, payment, ProviderOutcome("failed", "pi_1", failure_reason="card_declined"))
    assert (failed.state, failed.state_reason, failed.provider_ref) == ("failed", "card_declined", "pi_1")
    for _ in range(2):
        assert (await apply(runtime, acme, payment, ProviderOutcome("succeeded", "pi_1"))).state == "captured"
    assert await kinds(runtime, acme, payment) == [EntryKind.CHARGE, EntryKind.CAPTURE]


async def test_older_news_after_the_capture_changes_nothing(runtime, make_tenant):
    acme = await make_tenant("acme")
    payment = await add_payment(runtime, acme, await add_customer(runtime, acme), 50_00, captured_minor=0)
    await apply(runtime, acme, payment, ProviderOutcome("succeeded", "pi_2"))
    for late in (ProviderOutcome("pending"), ProviderOutcome("requires_action"), ProviderOutcome("failed")):
        assert (await apply(runtime, acme, payment, late)).state == "captured"
    assert await kinds(runtime, acme, payment) == [EntryKind.CHARGE, EntryKind.CAPTURE]


async def test_the_webhook_finds_the_capture_the_synchronous_path_posted(runtime, make_tenant):
    """The capture entry's operation id is ``{payment.operation_id}:capture`` on both paths."""
    acme = await make_tenant("acme")
    payment = await add_payment(runtime, acme, await add_customer(runtime, acme), 50_00)  # captured by the test
    await apply(runtime, acme, payment, ProviderOutcome("succeeded", "pi_3"))
    async with runtime.db.transaction(acme.id) as s:
        row = (await s.scalars(select(Payment).where(Payment.id == payment))).one()
        captures = (await s.scalars(select(LedgerEntry).where(LedgerEntry.kind == EntryKind.CAPTURE))).all()
    assert [c.operation_id for c in captures] == [f"{row.operation_id}:capture"]


async def test_a_captured_top_up_credits_the_wallet_once(runtime, make_tenant):
    acme = await make_tenant("acme")
    customer = await add_customer(runtime, acme)
    payment = await add_payment(runtime, acme, customer, 30_00, captured_minor=0, purpose="wallet_top_up")
    for _ in range(3):
        await apply(runtime, acme, payment, ProviderOutcome("succeeded", "pi_4"))
    async with runtime.db.transaction(acme.id) as s:
        assert await ledger.wallet_balance(s, customer, "EUR") == Money(30_00, "EUR")
