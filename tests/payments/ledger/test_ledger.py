"""The ledger's invariants: never refund more than was captured, never capture more than the payment, a wallet
never below zero, every entry attributable, postings idempotent by operation id, entries never changed."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.db.session import Database
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import LedgerEntry
from aftersales.payments.ledger.services import EntryKind, LedgerRefused, Posting
from support.marketplace import add_customer
from support.payments import add_payment


def posting(operation: str, reason: str = "customer returned the unit") -> Posting:
    return Posting("agent:1", reason, operation, utcnow())


async def test_refunds_add_up_to_the_capture_and_not_one_cent_more(runtime, make_tenant):
    acme = await make_tenant("acme")
    customer = await add_customer(runtime, acme)
    payment = await add_payment(runtime, acme, customer, 100_00)
    async with runtime.db.transaction(acme.id) as s:
        await ledger.post_refund(s, payment, 60_00, posting("r1"))
        await ledger.post_refund(s, payment, 40_00, posting("r2"))
        with pytest.raises(LedgerRefused, match="0.00 EUR left"):
            await ledger.post_refund(s, payment, 1, posting("r3"))
        totals = await ledger.payment_totals(s, payment)
    assert (totals.captured, totals.refunded, totals.refundable) == (Money(100_00, "EUR"), Money(100_00, "EUR"),
                                                                     Money(0, "EUR"))


async def test_a_partly_captured_payment_refunds_only_what_was_captured(runtime, make_tenant):
    acme = await make_tenant("acme")
    customer = await add_customer(runtime, acme)
    payment = await add_payment(runtime, acme, customer, 100_00, captured_minor=30_00)
    async with runtime.db.transaction(acme.id) as s:
        with pytest.raises(LedgerRefused):
            await ledger.post_refund(s, payment, 30_01, posting("r1"))
        await ledger.post_refund(s, payment, 30_00, posting("r2"))


async def test_a_payment_never_captures_more_than_its_amount(runtime, make_tenant):
    acme = await make_tenant("acme")
    customer = await add_customer(runtime, acme)
    payment = await add_payment(runtime, acme, customer, 100_00, captured_minor=99_99)
    async with runtime.db.transaction(acme.id) as s:
        with pytest.raises(LedgerRefused, match="more than the payment"):
            await ledger.post_capture(s, payment, 2, posting("c2"))
        await ledger.post_capture(s, payment, 1, posting("c3"))


async def test_the_same_operation_posted_twice_is_one_entry(runtime, make_tenant):
    acme = await make_tenant("acme")
    customer = await add_customer(runtime, acme)
    payment = await add_payment(runtime, acme, customer, 100_00)
    async with runtime.db.transaction(acme.id) as s:
        first = await ledger.post_refund(s, payment, 25_00, posting("refund-7"))
        again = await ledger.post_refund(s, payment, 25_00, posting("refund-7"))
        with pytest.raises(LedgerRefused, match="different movement"):
            await ledger.post_refund(s, payment, 26_00, posting("refund-7"))
        assert again.id == first.id
        assert (await ledger.payment_totals(s, payment)).refunded == Money(25_00, "EUR")


async def test_a_wallet_is_never_negative(runtime, make_tenant):
    acme = await make_tenant("acme")
    customer = await add_customer(runtime, acme)
    async with runtime.db.transaction(acme.id) as s:
        await ledger.credit_wallet(s, customer, Money(50_00, "EUR"), posting("top-up"))
        await ledger.debit_wallet(s, customer, Money(49_99, "EUR"), posting("spend-1"))
        with pytest.raises(LedgerRefused, match="holds 0.01 EUR"):
            await ledger.debit_wallet(s, customer, Money(2, "EUR"), posting("spend-2"))
        assert await ledger.wallet_balance(s, customer, "EUR") == Money(1, "EUR")
        assert await ledger.wallet_balance(s, customer, "USD") == Money(0, "USD")


async def test_every_entry_names_its_actor_and_reason():
    with pytest.raises(ValueError, match="actor"):
        Posting("", "why", "op", utcnow())
    with pytest.raises(ValueError, match="reason"):
        Posting("agent:1", "", "op", utcnow())


async def test_a_non_positive_amount_is_refused_with_the_field(runtime, make_tenant):
    acme = await make_tenant("acme")
    customer = await add_customer(runtime, acme)
    payment = await add_payment(runtime, acme, customer, 100_00)
    async with runtime.db.transaction(acme.id) as s:
        with pytest.raises(ledger.InvalidInput) as refused:
            await ledger.post_refund(s, payment, 0, posting("zero"))
    assert refused.value.errors[0].field == "amount_minor"


async def test_ledger_entries_cannot_be_changed_or_deleted(runtime, make_tenant):
    acme = await make_tenant("acme")
    customer = await add_customer(runtime, acme)
    await add_payment(runtime, acme, customer, 100_00)
    with pytest.raises((IntegrityError, DBAPIError), match="append-only"):
        async with runtime.db.transaction(acme.id) as s:
            await s.execute(update(LedgerEntry).values(amount_minor=1))


async def test_another_tenants_payment_is_not_found(runtime, make_tenant):
    acme, other = await make_tenant("acme"), await make_tenant("other")
    customer = await add_customer(runtime, acme)
    payment = await add_payment(runtime, acme, customer, 100_00)
    async with runtime.db.transaction(other.id) as s:
        with pytest.raises(ledger.NotFound):
            await ledger.post_refund(s, payment, 1_00, posting("steal"))
        assert await s.scalar(select(func.count()).select_from(LedgerEntry)) == 0


@pytest.mark.postgres_only
async def test_fifty_concurrent_refunds_never_exceed_the_capture(backend, runtime, make_tenant):
    acme = await make_tenant("acme")
    customer = await add_customer(runtime, acme)
    payment = await add_payment(runtime, acme, customer, 100_00)
    db = Database(backend.app_url, pool_size=52, max_overflow=0)
    everyone_in = asyncio.Barrier(50)

    async def refund(i: int) -> str:
        try:
            async with db.transaction(acme.id) as s:
                await s.execute(text("SELECT 1"))
                await everyone_in.wait()
                await ledger.post_refund(s, payment, 7_00, posting(f"concurrent-{i}"))
            return "refunded"
        except LedgerRefused:
            return "refused"

    try:
        outcomes = await asyncio.gather(*(refund(i) for i in range(50)))
    finally:
        await db.dispose()
    assert outcomes.count("refunded") == 14  # 14 × 7.00 = 98.00; a 15th would pass 100.00
    assert outcomes.count("refused") == 36
    async with runtime.db.transaction(acme.id) as s:
        totals = await ledger.payment_totals(s, payment)
        kinds = (await s.scalars(select(LedgerEntry.kind).where(LedgerEntry.payment_id == payment))).all()
    assert totals.refunded == Money(98_00, "EUR")
    assert kinds.count(EntryKind.REFUND) == 14
