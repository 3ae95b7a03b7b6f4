"""Refund tables: what a customer has proven for a refund (identity, IBAN), refund requests with the decision
that was made on them, and each request's append-only timeline."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKeyConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow
from aftersales.db.sentences import Sentences


def _fk(column: str, table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"])


class CustomerIdentity(TenantOwned, Base):
    """A customer's national ID, whether staff verified it, and the IBAN (Sheba) refunds are sent to.

    ``iban_owner_national_id`` is whose the bank says the IBAN is, entered by staff from the bank's
    confirmation; a refund policy compares it with ``national_id``. Changing the national ID clears the
    verification, changing the IBAN clears its owner: both must be confirmed again.
    """

    __tablename__ = "customer_identities"
    __table_args__ = (_fk("customer_id", "customers"), UniqueConstraint("tenant_id", "customer_id"))

    customer_id: Mapped[uuid.UUID] = mapped_column()
    national_id: Mapped[str | None] = mapped_column(String(10))
    identity_verified_by: Mapped[str | None] = mapped_column(String(120))
    identity_verified_at: Mapped[datetime | None] = mapped_column()
    iban: Mapped[str | None] = mapped_column(String(34))
    iban_recorded_by: Mapped[str | None] = mapped_column(String(120))
    iban_owner_national_id: Mapped[str | None] = mapped_column(String(10))
    iban_owner_confirmed_by: Mapped[str | None] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Refund(TenantOwned, Base):
    """A refund asked for, the policy's decision on it (stored with its reasons and missing requirements), and
    where it stands: ``refused``, ``awaiting_approval``, ``approved``, ``rejected`` or ``executed``."""

    __tablename__ = "refunds"
    __table_args__ = (
        _fk("customer_id", "customers"),
        _fk("payment_id", "payments"),
        _fk("service_request_id", "service_requests"),
        _fk("claim_id", "claims"),
        Index("ix_refunds_customer", "tenant_id", "customer_id", "created_at"),
        Index("ix_refunds_state", "tenant_id", "state", "created_at"),
        Index("ix_refunds_payment", "tenant_id", "payment_id"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column()
    source: Mapped[str] = mapped_column(String(20))
    """``payment``, ``return``, ``wallet_balance`` or ``replacement_refund`` (:class:`aftersales.contract.values.RefundFacts`)."""
    payment_id: Mapped[uuid.UUID | None] = mapped_column()
    service_request_id: Mapped[uuid.UUID | None] = mapped_column()
    claim_id: Mapped[uuid.UUID | None] = mapped_column()
    """The warranty claim the refund comes from (a return, a repair refunded instead of replaced), if any."""
    currency: Mapped[str] = mapped_column(String(3))
    requested_minor: Mapped[int] = mapped_column(BigInteger)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    """What the decision allows (0 when refused)."""
    method: Mapped[str | None] = mapped_column(String(20))
    """The :class:`aftersales.contract.values.RefundMethod` it is paid by; None when refused."""
    state: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list[str]] = mapped_column(Sentences, default=list)
    requirements: Mapped[list[str]] = mapped_column(JSON, default=list)
    offered_methods: Mapped[list[str]] = mapped_column(JSON, default=list)
    needs_finance_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The facts the policy decided on, so the decision can be explained and replayed."""
    note: Mapped[str] = mapped_column(Text, default="")
    """Why the customer asks."""
    requested_by: Mapped[str] = mapped_column(String(120))
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column()
    decision_note: Mapped[str] = mapped_column(Text, default="")
    executed_by: Mapped[str | None] = mapped_column(String(120))
    executed_at: Mapped[datetime | None] = mapped_column()
    reference: Mapped[str | None] = mapped_column(String(120))
    """The provider's refund id, or the bank transfer's reference finance recorded."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RefundEvent(TenantOwned, Base):
    """One step of a refund's timeline; never updated or deleted (the database refuses it)."""

    __tablename__ = "refund_events"
    __table_args__ = (_fk("refund_id", "refunds"), Index("ix_refund_events_refund", "tenant_id", "refund_id",
                                                         "occurred_at"))

    refund_id: Mapped[uuid.UUID] = mapped_column()
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    """``requested``, ``refused``, ``awaiting_approval``, ``approved``, ``rejected``, ``execution_failed``,
    ``executed``."""
    note: Mapped[str] = mapped_column(Text, default="")
