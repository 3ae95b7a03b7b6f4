"""The ledger: every movement of money as an append-only entry, and the balances derived from them.

Invariants, held under concurrency on PostgreSQL and SQLite:

* a payment never captures more than its amount, and never refunds more than it captured;
* a wallet's balance never goes below zero, nor above the cap of its currency (:meth:`Money.cap`);
* no amount, and no sum of one kind of a payment's entries, passes that cap: no balance can overflow 64 bits;
* every entry names its actor and reason;
* posting is idempotent by operation id: the same operation posted twice is one entry (a retry after a crash
  finds the first), and an operation id reused for a different movement is refused.

Each posting first bumps the ``ledger_version`` of the payment or wallet it touches (the lock, see
:mod:`aftersales.payments.ledger.models`), then reads the sums, then inserts. Two concurrent refunds of one payment
therefore run one after the other, and the second sees the first.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.bodies import beyond_cap
from aftersales.payments.ledger.models import LedgerEntry, Payment, Wallet


class EntryKind(enum.StrEnum):
    """What an entry moved. Amounts are positive; the kind gives the direction."""

    CHARGE = "charge"
    """A payment was asked for (authorised or pending offline): owed, not yet received."""
    CAPTURE = "capture"
    """Money of a payment was received (a captured card payment, cash counted, a cheque cleared)."""
    CAPTURE_REVERSAL = "capture_reversal"
    """Received money turned out not to be (a bounced cheque)."""
    REFUND = "refund"
    """Money of a payment went back to the customer, through the payment's provider or by bank transfer."""
    WALLET_CREDIT = "wallet_credit"
    WALLET_DEBIT = "wallet_debit"
    PROVIDER_PAYOUT = "provider_payout"
    """A marketplace provider's share of a captured job payment."""
    PAYOUT_REVERSAL = "payout_reversal"
    """The provider's share of a refund, taken back from the payout."""
    PLATFORM_FEE = "platform_fee"
    """The platform's share of a captured job payment."""
    FEE_REFUND = "fee_refund"
    """The platform's share of a refund, given back from the fee."""


class LedgerRefused(Conflict):
    """A posting would break an invariant (refund beyond capture, negative wallet, operation id reused)."""


@dataclass(frozen=True)
class Posting:
    """Who caused a movement and why, and the operation that makes it idempotent."""

    actor: str
    reason: str
    operation_id: str
    now: datetime
    refund_id: uuid.UUID | None = None
    provider_ref: str | None = None

    def __post_init__(self) -> None:
        if not self.actor or not self.reason or not self.operation_id:
            raise ValueError("every ledger entry names its actor, its reason and its operation id")


@dataclass(frozen=True)
class PaymentTotals:
    """A payment's balances, derived from its entries."""

    amount: Money
    charged: Money
    captured: Money
    refunded: Money

    @property
    def refundable(self) -> Money:
        """What may still be refunded: captured less refunded."""
        return self.captured - self.refunded


def _sum(kind: EntryKind) -> object:
    return func.coalesce(func.sum(case((LedgerEntry.kind == kind.value, LedgerEntry.amount_minor), else_=0)), 0)


async def payment_totals(session: AsyncSession, payment_id: uuid.UUID) -> PaymentTotals:
    """The payment's amount and what its entries add up to."""
    payment = await session.scalar(select(Payment).where(Payment.id == payment_id))
    if payment is None:
        raise NotFound("no such payment")
    return (await totals_of(session, [payment]))[payment.id]


async def totals_of(session: AsyncSession, payments: Sequence[Payment]) -> dict[uuid.UUID, PaymentTotals]:
    """Each payment's amount and what its entries add up to, in one query."""
    rows = (await session.execute(
        select(LedgerEntry.payment_id, _sum(EntryKind.CHARGE), _sum(EntryKind.CAPTURE),
               _sum(EntryKind.CAPTURE_REVERSAL), _sum(EntryKind.REFUND))
        .where(LedgerEntry.payment_id.in_([p.id for p in payments])).group_by(LedgerEntry.payment_id))).all()
    sums = {row[0]: [int(v) for v in row[1:]] for row in rows}
    totals = {}
    for payment in payments:
        charged, captured, reversed_, refunded = sums.get(payment.id, [0, 0, 0, 0])
        currency = payment.currency
        totals[payment.id] = PaymentTotals(Money(payment.amount_minor, currency), Money(charged, currency),
                                           Money(captured - reversed_, currency), Money(refunded, currency))
    return totals


async def wallet_balance(session: AsyncSession, customer_id: uuid.UUID, currency: str) -> Money:
    """The customer's store credit in ``currency``: credits less debits (zero without a wallet)."""
    wallet_id = await session.scalar(select(Wallet.id).where(Wallet.customer_id == customer_id,
                                                             Wallet.currency == currency))
    if wallet_id is None:
        return Money(0, currency)
    return Money(await _wallet_sum(session, wallet_id), currency)


async def _wallet_sum(session: AsyncSession, wallet_id: uuid.UUID) -> int:
    row = (await session.execute(select(_sum(EntryKind.WALLET_CREDIT), _sum(EntryKind.WALLET_DEBIT))
                                 .where(LedgerEntry.wallet_id == wallet_id))).one()
    return int(row[0]) - int(row[1])


async def entries(session: AsyncSession, *, payment_id: uuid.UUID | None = None,
                  wallet_id: uuid.UUID | None = None) -> Sequence[LedgerEntry]:
    """The entries of one payment or one wallet, oldest first."""
    query = select(LedgerEntry).order_by(LedgerEntry.occurred_at, LedgerEntry.id)
    if payment_id is not None:
        query = query.where(LedgerEntry.payment_id == payment_id)
    if wallet_id is not None:
        query = query.where(LedgerEntry.wallet_id == wallet_id)
    return (await session.scalars(query)).all()


# --- postings against a payment ----------------------------------------------------------------------------


async def post_charge(session: AsyncSession, payment_id: uuid.UUID, amount_minor: int, posting: Posting) -> LedgerEntry:
    """Record that ``amount_minor`` of the payment is owed (authorised, or promised offline)."""
    return await _post_to_payment(session, payment_id, EntryKind.CHARGE, amount_minor, posting)


async def post_capture(session: AsyncSession, payment_id: uuid.UUID, amount_minor: int, posting: Posting) -> LedgerEntry:
    """Record money of the payment received; never more in all than the payment's amount."""
    return await _post_to_payment(session, payment_id, EntryKind.CAPTURE, amount_minor, posting)


async def post_capture_reversal(session: AsyncSession, payment_id: uuid.UUID, amount_minor: int,
                                posting: Posting) -> LedgerEntry:
    """Record received money that did not arrive after all (a bounced cheque): never more than is captured
    and not refunded."""
    return await _post_to_payment(session, payment_id, EntryKind.CAPTURE_REVERSAL, amount_minor, posting)


async def post_refund(session: AsyncSession, payment_id: uuid.UUID, amount_minor: int, posting: Posting) -> LedgerEntry:
    """Record money of the payment given back; never more in all than was captured.

    :raises LedgerRefused: the refund would exceed what is refundable; nothing is written.
    """
    return await _post_to_payment(session, payment_id, EntryKind.REFUND, amount_minor, posting)


async def post_split(session: AsyncSession, payment_id: uuid.UUID, provider_id: uuid.UUID, kind: EntryKind,
                     amount_minor: int, posting: Posting) -> LedgerEntry:
    """Record a provider's payout or the platform's fee of a job payment, or their reversal on a refund."""
    if kind not in (EntryKind.PROVIDER_PAYOUT, EntryKind.PAYOUT_REVERSAL, EntryKind.PLATFORM_FEE,
                    EntryKind.FEE_REFUND):
        raise ValueError(f"{kind} is not a settlement entry")
    return await _post_to_payment(session, payment_id, kind, amount_minor, posting, provider_id=provider_id)


async def _post_to_payment(session: AsyncSession, payment_id: uuid.UUID, kind: EntryKind, amount_minor: int,
                           posting: Posting, *, provider_id: uuid.UUID | None = None) -> LedgerEntry:
    _check_amount(amount_minor)
    payment = await _lock_payment(session, payment_id)
    replay = await _replayed(session, posting.operation_id, kind, amount_minor, payment_id=payment_id)
    if replay is not None:
        return replay
    totals = await payment_totals(session, payment_id)
    wanted = Money(amount_minor, payment.currency)
    _check_amount(amount_minor, payment.currency)
    _within_cap(Money(await _payment_sum(session, payment_id, kind), payment.currency) + wanted,
                f"the payment's {kind.value} entries")
    if kind is EntryKind.CAPTURE and totals.captured + wanted > totals.amount:
        raise LedgerRefused(f"capturing {wanted} would take more than the payment's {totals.amount} "
                            f"({totals.captured} already captured)")
    if kind in (EntryKind.REFUND, EntryKind.CAPTURE_REVERSAL) and wanted > totals.refundable:
        raise LedgerRefused(f"{wanted} is more than can be given back: {totals.captured} captured, "
                            f"{totals.refunded} already refunded, {totals.refundable} left")
    entry = LedgerEntry(kind=kind.value, amount_minor=amount_minor, currency=payment.currency, payment_id=payment.id,
                        customer_id=payment.customer_id, provider_id=provider_id, **_posting_columns(posting))
    session.add(entry)
    await session.flush()
    return entry


async def _lock_payment(session: AsyncSession, payment_id: uuid.UUID) -> Payment:
    bumped = await session.execute(update(Payment).where(Payment.id == payment_id)
                                   .values(ledger_version=Payment.ledger_version + 1)
                                   .execution_options(synchronize_session=False))
    if bumped.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound("no such payment")
    payment = await session.scalar(select(Payment).where(Payment.id == payment_id)
                                   .execution_options(populate_existing=True))
    assert payment is not None
    return payment


# --- wallets -----------------------------------------------------------------------------------------------


async def credit_wallet(session: AsyncSession, customer_id: uuid.UUID, amount: Money, posting: Posting, *,
                        payment_id: uuid.UUID | None = None) -> LedgerEntry:
    """Add ``amount`` to the customer's store credit (a top-up, or a refund to the wallet)."""
    return await _post_to_wallet(session, customer_id, EntryKind.WALLET_CREDIT, amount, posting, payment_id)


async def debit_wallet(session: AsyncSession, customer_id: uuid.UUID, amount: Money, posting: Posting, *,
                       payment_id: uuid.UUID | None = None) -> LedgerEntry:
    """Take ``amount`` from the customer's store credit (spending it, or paying it out as a refund).

    :raises LedgerRefused: the balance would go below zero; nothing is written.
    """
    return await _post_to_wallet(session, customer_id, EntryKind.WALLET_DEBIT, amount, posting, payment_id)


async def _post_to_wallet(session: AsyncSession, customer_id: uuid.UUID, kind: EntryKind, amount: Money,
                          posting: Posting, payment_id: uuid.UUID | None) -> LedgerEntry:
    _check_amount(amount.amount_minor, amount.currency)
    wallet = await _lock_wallet(session, customer_id, amount.currency)
    replay = await _replayed(session, posting.operation_id, kind, amount.amount_minor, payment_id=payment_id)
    if replay is not None:
        return replay
    balance = Money(await _wallet_sum(session, wallet.id), amount.currency)
    if kind is EntryKind.WALLET_DEBIT and amount > balance:
        raise LedgerRefused(f"the wallet holds {balance}: {amount} cannot be taken from it")
    if kind is EntryKind.WALLET_CREDIT:
        _within_cap(balance + amount, "the wallet")
    entry = LedgerEntry(kind=kind.value, amount_minor=amount.amount_minor, currency=amount.currency,
                        wallet_id=wallet.id, customer_id=customer_id, payment_id=payment_id,
                        **_posting_columns(posting))
    session.add(entry)
    await session.flush()
    return entry


async def _lock_wallet(session: AsyncSession, customer_id: uuid.UUID, currency: str) -> Wallet:
    """The customer's wallet in ``currency``, created on first use, locked for this transaction."""
    query = select(Wallet).where(Wallet.customer_id == customer_id, Wallet.currency == currency)
    wallet = await session.scalar(query)
    if wallet is None:
        try:
            async with session.begin_nested():
                session.add(Wallet(customer_id=customer_id, currency=currency))
                await session.flush()
        except IntegrityError:
            pass  # lost the race to create it: the other transaction's row is the wallet
        wallet = await session.scalar(query)
        if wallet is None:
            raise NotFound("no such customer")
    await session.execute(update(Wallet).where(Wallet.id == wallet.id)
                          .values(ledger_version=Wallet.ledger_version + 1)
                          .execution_options(synchronize_session=False))
    return wallet


# --- shared ------------------------------------------------------------------------------------------------


def _check_amount(amount_minor: int, currency: str | None = None) -> None:
    """A positive whole number of minor units, and (with ``currency``) within its cap; else nothing is posted."""
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor <= 0:
        raise InvalidInput("the amount is invalid", [FieldError("amount_minor", "must be a positive whole number "
                                                                                "of minor units")])
    if currency is not None and (problems := beyond_cap("amount_minor", Money(amount_minor, currency))):
        raise InvalidInput("the amount is invalid", problems)


def _within_cap(total: Money, what: str) -> None:
    """Refuse a posting after which ``total`` (a balance, a sum of entries) would pass its currency's cap."""
    if total.beyond_cap:
        cap = Money.cap(total.currency)
        raise LedgerRefused(f"{what} would hold {total}, more than the most money can be ({cap})",
                            code="money.beyond_cap", params={"cap_minor": cap.amount_minor, "currency": cap.currency})


async def _payment_sum(session: AsyncSession, payment_id: uuid.UUID, kind: EntryKind) -> int:
    total = await session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_minor), 0))
                                 .where(LedgerEntry.payment_id == payment_id, LedgerEntry.kind == kind.value))
    return int(total or 0)  # PostgreSQL sums BIGINT as NUMERIC


async def _replayed(session: AsyncSession, operation_id: str, kind: EntryKind, amount_minor: int, *,
                    payment_id: uuid.UUID | None) -> LedgerEntry | None:
    """The entry already posted for ``operation_id``, if it is this same movement; refuse a different one."""
    existing = await session.scalar(select(LedgerEntry).where(LedgerEntry.operation_id == operation_id))
    if existing is None:
        return None
    if (existing.kind, existing.amount_minor, existing.payment_id) != (kind.value, amount_minor, payment_id):
        raise LedgerRefused(f"operation {operation_id} was already posted as a different movement")
    return existing


def _posting_columns(posting: Posting) -> dict[str, object]:
    return {"actor": posting.actor, "reason": posting.reason, "operation_id": posting.operation_id,
            "refund_id": posting.refund_id, "provider_ref": posting.provider_ref, "occurred_at": posting.now}

