"""Payment tables: payments (the thing a customer pays, with its provider state), the append-only ledger, and
wallets (store credit, one row per customer and currency).

The ledger is the truth about money: what a payment has captured and refunded, and what a wallet holds, are sums
of its entries (:mod:`aftersales.payments.ledger.services`). ``payments`` and ``wallets`` rows carry a ``ledger_version``
that every posting bumps first: that write is the lock that serialises postings to one payment or wallet on
PostgreSQL (row lock) and SQLite (the database's write lock) alike, so the sums read after it are current.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow


def _fk(column: str, table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"])


class Payment(TenantOwned, Base):
    """Money a customer pays (or is to pay) for one thing, through one provider.

    ``state`` is the provider's view (``pending``, ``requires_action``, ``authorized``, ``captured``, ``failed``,
    ``canceled``; an offline cheque is ``pending`` until ``cleared`` — then ``captured`` — or ``bounced``). How
    much was captured and refunded is never stored here: it is the sum of the payment's ledger entries.
    """

    __tablename__ = "payments"
    __table_args__ = (
        _fk("customer_id", "customers"),
        UniqueConstraint("tenant_id", "operation_id"),
        Index("ix_payments_customer", "tenant_id", "customer_id", "created_at"),
        Index("ix_payments_subject", "tenant_id", "subject_type", "subject_id"),
        Index("ix_payments_provider_ref", "tenant_id", "provider", "provider_ref"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column()
    provider: Mapped[str] = mapped_column(String(20))
    """``stripe``, ``offline`` or ``wallet``."""
    method: Mapped[str] = mapped_column(String(20))
    """``card`` (Stripe), ``cash``, ``bank_transfer``, ``cheque`` (offline) or ``wallet`` (store credit)."""
    purpose: Mapped[str] = mapped_column(String(20))
    """What is paid for: ``job`` (a marketplace booking), ``repair``, ``order``, ``wallet_top_up``."""
    subject_type: Mapped[str | None] = mapped_column(String(20))
    subject_id: Mapped[uuid.UUID | None] = mapped_column()
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(20), default="pending")
    state_reason: Mapped[str] = mapped_column(Text, default="")
    provider_ref: Mapped[str | None] = mapped_column(String(120))
    """The provider's id for it (a Stripe PaymentIntent ``pi_…``, a cheque number, a bank reference)."""
    operation_id: Mapped[str] = mapped_column(String(120))
    """Our id for creating it, unique per tenant: the idempotency key sent to the provider is derived from it."""
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Provider-specific facts: a cheque's bank and due date, the Connect destination, a bounce date."""
    created_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_version: Mapped[int] = mapped_column(Integer, default=0)
    """Bumped by every ledger posting against this payment: the write that locks it (see module docstring)."""


class Wallet(TenantOwned, Base):
    """A customer's store credit in one currency. The balance is the sum of its ledger entries; the row exists
    to be locked while a posting checks that the balance stays at or above zero."""

    __tablename__ = "wallets"
    __table_args__ = (_fk("customer_id", "customers"), UniqueConstraint("tenant_id", "customer_id", "currency"))

    customer_id: Mapped[uuid.UUID] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3))
    ledger_version: Mapped[int] = mapped_column(Integer, default=0)


class LedgerEntry(TenantOwned, Base):
    """One movement of money, never changed or deleted (the database refuses it).

    ``kind`` says what moved (:class:`aftersales.payments.ledger.services.EntryKind`); ``amount_minor`` is always positive
    and the kind gives the direction. Each entry names the payment, wallet or provider it belongs to, the actor
    who caused it and the reason, and carries the operation id that makes posting it idempotent.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (
        _fk("payment_id", "payments"),
        _fk("wallet_id", "wallets"),
        UniqueConstraint("tenant_id", "operation_id"),
        Index("ix_ledger_entries_payment", "tenant_id", "payment_id"),
        Index("ix_ledger_entries_wallet", "tenant_id", "wallet_id"),
        Index("ix_ledger_entries_provider", "tenant_id", "provider_id"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
    )

    kind: Mapped[str] = mapped_column(String(30))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    payment_id: Mapped[uuid.UUID | None] = mapped_column()
    wallet_id: Mapped[uuid.UUID | None] = mapped_column()
    customer_id: Mapped[uuid.UUID | None] = mapped_column()
    provider_id: Mapped[uuid.UUID | None] = mapped_column()
    """The marketplace provider a payout or its reversal belongs to."""
    refund_id: Mapped[uuid.UUID | None] = mapped_column()
    """The refund request an entry executes, if any."""
    operation_id: Mapped[str] = mapped_column(String(160))
    actor: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    provider_ref: Mapped[str | None] = mapped_column(String(120))
    """The provider's id for the movement (a Stripe refund ``re_…``), where there is one."""
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
