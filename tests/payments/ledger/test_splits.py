"""A job payment's split and its proportional reversal: the payout and fee reversed always add up to what was
refunded, and a full refund reverses both exactly (no rounding drift)."""

from __future__ import annotations

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.db.base import utcnow
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger import splits
from aftersales.payments.ledger.services import Posting
from support.marketplace import add_customer
from support.payments import add_payment


def posting(operation: str) -> Posting:
    return Posting("finance:1", "job refund", operation, utcnow())


async def split_payment(runtime, tenant, amount: int, payout: int) -> tuple[uuid.UUID, uuid.UUID]:
    customer = await add_customer(runtime, tenant)
    payment = await add_payment(runtime, tenant, customer, amount, purpose="job")
    provider_id = uuid.uuid4()
    async with runtime.db.transaction(tenant.id) as s:
        await splits.post_split(s, payment, provider_id, payout_minor=payout, fee_minor=amount - payout,
                                    posting=posting(f"{payment}:split"))
    return payment, provider_id


async def test_a_refund_takes_back_payout_and_fee_in_proportion(runtime, make_tenant):
    acme = await make_tenant("acme")
    payment, _ = await split_payment(runtime, acme, 100_00, 90_00)  # 10 % platform fee
    async with runtime.db.transaction(acme.id) as s:
        await ledger.post_refund(s, payment, 33_33, posting("refund-1"))
        assert await splits.reverse_split(s, payment, posting=posting("refund-1")) == (30_00, 3_33)
        await ledger.post_refund(s, payment, 66_67, posting("refund-2"))
        assert await splits.reverse_split(s, payment, posting=posting("refund-2")) == (60_00, 6_67)


@settings(max_examples=200, deadline=None)
@given(amount=st.integers(1, 10_000_00), fee_bps=st.integers(0, 10_000),
       refunds=st.lists(st.integers(1, 10_000_00), max_size=5))
def test_reversals_always_add_up_to_the_refunds_and_end_exactly_at_the_split(amount, fee_bps, refunds):
    fee = (amount * fee_bps + 5_000) // 10_000
    payout = amount - fee
    refunded = taken_payout = taken_fee = 0
    for refund in [*refunds, amount]:
        refunded = min(amount, refunded + refund)
        payout_due, fee_due = splits.reversal_due(refunded, payout, fee)
        assert payout_due >= taken_payout and fee_due >= taken_fee
        assert payout_due + fee_due == refunded
        assert payout_due <= payout and fee_due <= fee
        taken_payout, taken_fee = payout_due, fee_due
    assert (taken_payout, taken_fee) == (payout, fee)
