"""Service request tables: the request itself and its timeline, which is only ever appended to."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKeyConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow


class ServiceRequest(TenantOwned, Base):
    """What a customer asked for — a repair, an installation, a complaint — and where it stands."""

    __tablename__ = "service_requests"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        ForeignKeyConstraint(["tenant_id", "registration_id"], ["registrations.tenant_id", "registrations.id"]),
        ForeignKeyConstraint(["tenant_id", "claim_id"], ["claims.tenant_id", "claims.id"]),
        ForeignKeyConstraint(["tenant_id", "assignee_id"], ["staff_users.tenant_id", "staff_users.id"]),
        Index("ix_service_requests_state", "tenant_id", "state", "opened_at"),
        Index("ix_service_requests_customer", "tenant_id", "customer_id"),
    )

    number: Mapped[int] = mapped_column(Integer)
    """Per-tenant running number, what a customer reads out on the phone."""
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    customer_id: Mapped[uuid.UUID] = mapped_column()
    registration_id: Mapped[uuid.UUID | None] = mapped_column()
    claim_id: Mapped[uuid.UUID | None] = mapped_column()
    assignee_id: Mapped[uuid.UUID | None] = mapped_column()
    summary: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RequestEvent(TenantOwned, Base):
    """One entry of a request's timeline: who did what, when, with an optional note. Never updated or
    deleted (the database refuses it on PostgreSQL and SQLite alike)."""

    __tablename__ = "request_events"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "request_id"], ["service_requests.tenant_id", "service_requests.id"]),
        Index("ix_request_events_request", "tenant_id", "request_id", "occurred_at"),
    )

    request_id: Mapped[uuid.UUID] = mapped_column()
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    """``opened``, ``moved``, ``assigned`` or ``note``."""
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
