"""A job payment's split: the provider's payout and the platform's fee, and a refund taking each back in
proportion.

Proportions are kept cumulative: after every refund the payout reversed so far is the refunded total times the
payout's share, rounded half up, and this refund reverses the difference. Rounding therefore never drifts, and
when the whole payment is refunded the payout and the fee are reversed exactly.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import LedgerEntry
from aftersales.payments.ledger.services import EntryKind, Posting


def reversal_due(refunded_minor: int, payout_minor: int, fee_minor: int) -> tuple[int, int]:
    """How much of the payout and of the fee should have been taken back once ``refunded_minor`` of the payment
    is refunded in all: the payout's share rounded half up, the fee the rest; never more than either."""
    total = payout_minor + fee_minor
    refunded = min(refunded_minor, total)
    payout_due = min((refunded * payout_minor * 2 + total) // (total * 2), payout_minor)
    fee_due = min(refunded - payout_due, fee_minor)
    return refunded - fee_due, fee_due


async def post_split(session: AsyncSession, payment_id: uuid.UUID, provider_id: uuid.UUID, *, payout_minor: int,
                     fee_minor: int, posting: Posting) -> None:
    """Record the provider's payout and the platform's fee of a captured job payment."""
    if payout_minor:
        await ledger.post_split(session, payment_id, provider_id, EntryKind.PROVIDER_PAYOUT, payout_minor,
                                replace(posting, operation_id=f"{posting.operation_id}:payout"))
    if fee_minor:
        await ledger.post_split(session, payment_id, provider_id, EntryKind.PLATFORM_FEE, fee_minor,
                                replace(posting, operation_id=f"{posting.operation_id}:fee"))


async def reverse_split(session: AsyncSession, payment_id: uuid.UUID, *, posting: Posting) -> tuple[int, int]:
    """After a refund of a job payment is posted, take the payout and the fee back in proportion.

    Returns (payout reversed, fee refunded) by this call; both zero for a payment that was never split.
    """
    sums = await _sums(session, payment_id)
    payout, fee = sums[EntryKind.PROVIDER_PAYOUT], sums[EntryKind.PLATFORM_FEE]
    if payout + fee == 0:
        return 0, 0
    provider_id = await session.scalar(select(LedgerEntry.provider_id).where(
        LedgerEntry.payment_id == payment_id, LedgerEntry.kind == EntryKind.PROVIDER_PAYOUT.value).limit(1))
    if provider_id is None:
        provider_id = await session.scalar(select(LedgerEntry.provider_id).where(
            LedgerEntry.payment_id == payment_id, LedgerEntry.kind == EntryKind.PLATFORM_FEE.value).limit(1))
    payout_due, fee_due = reversal_due(sums[EntryKind.REFUND], payout, fee)
    payout_now = payout_due - sums[EntryKind.PAYOUT_REVERSAL]
    fee_now = fee_due - sums[EntryKind.FEE_REFUND]
    if payout_now > 0:
        await ledger.post_split(session, payment_id, provider_id, EntryKind.PAYOUT_REVERSAL, payout_now,
                                replace(posting, operation_id=f"{posting.operation_id}:payout_reversal"))
    if fee_now > 0:
        await ledger.post_split(session, payment_id, provider_id, EntryKind.FEE_REFUND, fee_now,
                                replace(posting, operation_id=f"{posting.operation_id}:fee_refund"))
    return max(payout_now, 0), max(fee_now, 0)


async def _sums(session: AsyncSession, payment_id: uuid.UUID) -> dict[EntryKind, int]:
    rows = (await session.execute(select(LedgerEntry.kind, func.sum(LedgerEntry.amount_minor))
                                  .where(LedgerEntry.payment_id == payment_id)
                                  .group_by(LedgerEntry.kind))).all()
    found = {kind: int(total) for kind, total in rows}
    return {kind: found.get(kind.value, 0) for kind in EntryKind}
