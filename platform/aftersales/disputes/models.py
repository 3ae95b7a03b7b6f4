"""Dispute tables: the dispute with both statements, its mediation, settlement and ruling; mediation notes kept
from the parties. Both tenant-owned (``tenant_id`` leads every key)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKeyConstraint, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow

LIVE = "state NOT IN ('settled', 'ruled', 'withdrawn')"
"""A dispute not yet ended (:data:`aftersales.disputes.states.FINAL`): one per subject at a time."""


def _fk(column: str, table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"])


class Dispute(TenantOwned, Base):
    """A customer's dispute about a booking (against its provider) or a request or claim (against the company)."""

    __tablename__ = "disputes"
    __table_args__ = (
        _fk("customer_id", "customers"),
        _fk("booking_id", "bookings"),
        _fk("provider_id", "providers"),
        _fk("request_id", "service_requests"),
        _fk("claim_id", "claims"),
        Index("ix_disputes_state", "tenant_id", "state", "opened_at"),
        Index("ix_disputes_customer", "tenant_id", "customer_id"),
        Index("ix_disputes_provider", "tenant_id", "provider_id"),
        Index("uq_disputes_live_subject", "tenant_id", "subject", "subject_id", unique=True,
              postgresql_where=text(LIVE), sqlite_where=text(LIVE)),
    )

    subject: Mapped[str] = mapped_column(String(10))
    """``booking``, ``request`` or ``claim``: what the dispute is about."""
    subject_id: Mapped[uuid.UUID] = mapped_column()
    """The booking's, request's or claim's id (also in its own column, with its foreign key)."""
    booking_id: Mapped[uuid.UUID | None] = mapped_column()
    request_id: Mapped[uuid.UUID | None] = mapped_column()
    claim_id: Mapped[uuid.UUID | None] = mapped_column()
    customer_id: Mapped[uuid.UUID] = mapped_column()
    respondent: Mapped[str] = mapped_column(String(10))
    """The other side: ``provider`` (a booking's) or ``company`` (the tenant itself)."""
    provider_id: Mapped[uuid.UUID | None] = mapped_column()
    grounds: Mapped[str] = mapped_column(String(40))
    statement: Mapped[str] = mapped_column(Text)
    """The customer's side, in their words."""
    opened_by: Mapped[str] = mapped_column(String(120))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(20), default="open")
    answer: Mapped[str | None] = mapped_column(Text)
    """The other side's statement."""
    answered_by: Mapped[str | None] = mapped_column(String(120))
    answered_at: Mapped[datetime | None] = mapped_column()
    mediator: Mapped[str | None] = mapped_column(String(120))
    mediation_started_at: Mapped[datetime | None] = mapped_column()
    settlement: Mapped[str | None] = mapped_column(Text)
    """The settlement last proposed to the customer, in words."""
    settlement_refund_minor: Mapped[int | None] = mapped_column(BigInteger)
    settlement_proposed_at: Mapped[datetime | None] = mapped_column()
    settlement_answer: Mapped[str | None] = mapped_column(String(10))
    """``accepted`` or ``declined`` by the customer; None while it waits."""
    outcome: Mapped[str | None] = mapped_column(String(20))
    """``for_customer``, ``partly`` or ``for_respondent`` by a ruling; ``settled`` by an accepted settlement."""
    ruling_reason: Mapped[str | None] = mapped_column(Text)
    """Why customer service ruled so: shown to both sides."""
    refund_owed_minor: Mapped[int | None] = mapped_column(BigInteger)
    """What the ruling or the accepted settlement says the customer is owed back (None: nothing)."""
    currency: Mapped[str] = mapped_column(String(3))
    """The currency of the amounts: the booking's, else the registration's, else the tenant's."""
    ruled_by: Mapped[str | None] = mapped_column(String(120))
    ended_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DisputeNote(TenantOwned, Base):
    """A mediator's note on a dispute: staff read it, neither party ever does."""

    __tablename__ = "dispute_notes"
    __table_args__ = (_fk("dispute_id", "disputes"), Index("ix_dispute_notes_dispute", "tenant_id", "dispute_id"))

    dispute_id: Mapped[uuid.UUID] = mapped_column()
    author: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
