"""Dispatch tables: the tenant's technicians (staff or provider users), their authorisations per product
category, and the on-site visits planned to them.

Every table is tenant-owned (``tenant_id`` leads its keys and foreign keys). A visit's ``day`` and window are
the tenant's local date and wall-clock times (its time zone is the tenant's); instants (arrival, start,
finish, fixing, flagging) are UTC.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow

LIST = JSON().with_variant(JSONB(), "postgresql")
"""A JSON list; ``jsonb`` on PostgreSQL, so the suggestion's membership tests (``@>``) parse nothing per row."""


def _fk(column: str, table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"])


class Technician(TenantOwned, Base):
    """A person who goes on site: one of the tenant's staff users or a marketplace provider's user, with the
    skills they have, where they start from, when they work and how many visits a day they take."""

    __tablename__ = "technicians"
    __table_args__ = (
        _fk("staff_user_id", "staff_users"),
        _fk("provider_id", "providers"),
        UniqueConstraint("tenant_id", "staff_user_id"),
        CheckConstraint("(staff_user_id IS NULL) <> (provider_id IS NULL)", name="staff_or_provider"),
        CheckConstraint("daily_capacity >= 1", name="capacity_positive"),
        CheckConstraint("works_from < works_until", name="hours_in_order"),
        Index("ix_technicians_active", "tenant_id", "active"),
    )

    name: Mapped[str] = mapped_column(String(200))
    staff_user_id: Mapped[uuid.UUID | None] = mapped_column()
    """The staff user who is this technician (they sign in and read their own day sheet)."""
    provider_id: Mapped[uuid.UUID | None] = mapped_column()
    """Or the marketplace provider (a mobile technician) this technician works for."""
    email: Mapped[str | None] = mapped_column(String(254))
    """Where the fixed plan is sent; the staff user's or provider's address when empty."""
    skills: Mapped[list[str]] = mapped_column(LIST, default=list)
    home_latitude: Mapped[float] = mapped_column(Float)
    home_longitude: Mapped[float] = mapped_column(Float)
    works_from: Mapped[time] = mapped_column(Time)
    works_until: Mapped[time] = mapped_column(Time)
    weekdays: Mapped[list[int]] = mapped_column(LIST, default=list)
    """The days they work, Monday 0 … Sunday 6 (Python's ``date.weekday()``)."""
    daily_capacity: Mapped[int] = mapped_column(Integer)
    """How many visits a day they take."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TechnicianAuthorisation(TenantOwned, Base):
    """The maker's authorisation of a technician for a product category (Entekhab: only an authorised
    technician does in-warranty installation and repair), with its reference and last valid day."""

    __tablename__ = "technician_authorisations"
    __table_args__ = (
        _fk("technician_id", "technicians"),
        UniqueConstraint("tenant_id", "technician_id", "category"),
        Index("ix_technician_authorisations_category", "tenant_id", "category", "until"),
    )

    technician_id: Mapped[uuid.UUID] = mapped_column()
    category: Mapped[str] = mapped_column(String(80))
    reference: Mapped[str] = mapped_column(String(120))
    until: Mapped[date] = mapped_column(Date)
    """The last day the authorisation holds."""


class VisitState(enum.StrEnum):
    UNPLANNED = "unplanned"
    PLANNED = "planned"
    """Given a technician and window; the dispatcher may still change it."""
    FIXED = "fixed"
    """In the fixed plan: technician and customer have been told the window."""
    ARRIVED = "arrived"
    STARTED = "started"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class Visit(TenantOwned, Base):
    """An on-site job for a service request or a marketplace booking, on a day and in a time window, and
    what happened on site (arrival, start, finish, the customer's signature)."""

    __tablename__ = "visits"
    __table_args__ = (
        _fk("request_id", "service_requests"),
        _fk("booking_id", "bookings"),
        _fk("technician_id", "technicians"),
        CheckConstraint("(request_id IS NULL) <> (booking_id IS NULL)", name="request_or_booking"),
        CheckConstraint("window_start < window_end", name="window_in_order"),
        Index("ix_visits_day", "tenant_id", "day", "state"),
        Index("ix_visits_technician_day", "tenant_id", "technician_id", "day"),
        Index("ix_visits_request", "tenant_id", "request_id"),
    )

    request_id: Mapped[uuid.UUID | None] = mapped_column()
    booking_id: Mapped[uuid.UUID | None] = mapped_column()
    skill: Mapped[str] = mapped_column(String(80))
    """The skill the job needs (a technician's ``skills`` must hold it)."""
    category: Mapped[str | None] = mapped_column(String(80))
    """The product's category, which an authorisation names."""
    in_warranty: Mapped[bool] = mapped_column(Boolean, default=False)
    site_latitude: Mapped[float] = mapped_column(Float)
    site_longitude: Mapped[float] = mapped_column(Float)
    address: Mapped[str] = mapped_column(Text)
    day: Mapped[date] = mapped_column(Date)
    window_start: Mapped[time] = mapped_column(Time)
    window_end: Mapped[time] = mapped_column(Time)
    technician_id: Mapped[uuid.UUID | None] = mapped_column()
    route_order: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default=VisitState.UNPLANNED)
    planned_at: Mapped[datetime | None] = mapped_column()
    planned_by: Mapped[str | None] = mapped_column(String(120))
    fixed_at: Mapped[datetime | None] = mapped_column()
    flagged_at: Mapped[datetime | None] = mapped_column()
    """When the plan's cut-off passed with this visit still unplanned."""
    arrived_at: Mapped[datetime | None] = mapped_column()
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    signature_png: Mapped[str | None] = mapped_column(Text)
    """The customer's signature at finish, a ``data:image/png;base64,…`` URL."""
    signed_by: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
