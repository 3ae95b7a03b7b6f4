"""Marketplace tables: providers and where they work, the service catalogue and each provider's prices, weekly
hours and their exceptions, bookings with the slot units they hold, quotes, change requests, work done, charges
and mutual ratings.

Every table is tenant-owned (``tenant_id`` leads its keys). Money is integer minor units plus the currency.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow
from aftersales.db.sentences import Sentences

SLOT_MINUTES = 15
"""The grid bookings are held on: a booking of 50 minutes holds four 15-minute units of its provider."""


def _fk(column: str, table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"])


class Provider(TenantOwned, Base):
    """A workshop, mobile technician or service company that takes the tenant's customers' jobs."""

    __tablename__ = "providers"
    __table_args__ = (Index("ix_providers_status", "tenant_id", "status"),)

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    """``workshop``, ``mobile_technician`` or ``service_company``."""
    status: Mapped[str] = mapped_column(String(20), default="pending")
    """``pending`` (not yet bookable), ``active`` or ``suspended``."""
    status_reason: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    authorised: Mapped[bool] = mapped_column(Boolean, default=False)
    """The tenant's authorisation (Entekhab: only authorised technicians do in-warranty installation and repair)."""
    authorised_until: Mapped[date | None] = mapped_column(Date)
    """Last day the authorisation holds; None for no end."""
    authorisation_ref: Mapped[str | None] = mapped_column(String(80))
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    """Counted ratings from customers (held and rejected ones are not counted)."""
    rating_weight: Mapped[float] = mapped_column(Float, default=0.0)
    rating_weighted_sum: Mapped[float] = mapped_column(Float, default=0.0)
    rating_average: Mapped[float | None] = mapped_column(Float)
    """``rating_weighted_sum / rating_weight``, kept on the row so search orders by it without a join."""
    payout_account: Mapped[str | None] = mapped_column(String(80))
    """The provider's account with the payment provider (Stripe Connect), for payouts."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProviderLocation(TenantOwned, Base):
    """A place a provider works from, and how far from it they take jobs."""

    __tablename__ = "provider_locations"
    __table_args__ = (
        _fk("provider_id", "providers"),
        Index("ix_provider_locations_geo", "tenant_id", "latitude", "longitude"),
        Index("ix_provider_locations_provider", "tenant_id", "provider_id"),
        Index("ix_provider_locations_radius", "tenant_id", "active", "service_radius_km"),  # search's widest radius
    )

    provider_id: Mapped[uuid.UUID] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    service_radius_km: Mapped[float] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ProviderDocument(TenantOwned, Base):
    """A document a provider filed (licence, insurance, authorisation letter), kept by its SHA-256."""

    __tablename__ = "provider_documents"
    __table_args__ = (_fk("provider_id", "providers"), Index("ix_provider_documents_provider", "tenant_id", "provider_id"))

    provider_id: Mapped[uuid.UUID] = mapped_column()
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(120))


class Offering(TenantOwned, Base):
    """An entry of the tenant's service catalogue: oil change, diagnostics, installation, repair of a category."""

    __tablename__ = "offerings"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(60))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    """The usual duration; a provider may state its own."""
    skill: Mapped[str | None] = mapped_column(String(60))
    """The skill a provider needs to offer it, when any."""
    warranty_needs_authorisation: Mapped[bool] = mapped_column(Boolean, default=False)
    """In-warranty jobs of this offering go only to providers the tenant has authorised (Entekhab)."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ProviderOffering(TenantOwned, Base):
    """A provider's price and duration for one offering."""

    __tablename__ = "provider_offerings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "provider_id", "offering_id"),
        _fk("provider_id", "providers"),
        _fk("offering_id", "offerings"),
        Index("ix_provider_offerings_offering", "tenant_id", "offering_id", "active"),
    )

    provider_id: Mapped[uuid.UUID] = mapped_column()
    offering_id: Mapped[uuid.UUID] = mapped_column()
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ProviderHours(TenantOwned, Base):
    """One opening interval of a provider's week, in the tenant's time zone (Monday is weekday 0)."""

    __tablename__ = "provider_hours"
    __table_args__ = (_fk("provider_id", "providers"), Index("ix_provider_hours_provider", "tenant_id", "provider_id"))

    provider_id: Mapped[uuid.UUID] = mapped_column()
    weekday: Mapped[int] = mapped_column(SmallInteger)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)


class ProviderException(TenantOwned, Base):
    """A day that differs from a provider's week: closed (no hours) or open at other hours."""

    __tablename__ = "provider_exceptions"
    __table_args__ = (
        _fk("provider_id", "providers"),
        Index("ix_provider_exceptions_day", "tenant_id", "provider_id", "day"),
    )

    provider_id: Mapped[uuid.UUID] = mapped_column()
    day: Mapped[date] = mapped_column(Date)
    opens: Mapped[time | None] = mapped_column(Time)
    closes: Mapped[time | None] = mapped_column(Time)
    """Both None: closed all day."""
    reason: Mapped[str] = mapped_column(Text, default="")


class Booking(TenantOwned, Base):
    """A customer's booked job with a provider, for a day and hour."""

    __tablename__ = "bookings"
    __table_args__ = (
        _fk("provider_id", "providers"),
        _fk("offering_id", "offerings"),
        _fk("customer_id", "customers"),
        _fk("location_id", "provider_locations"),
        _fk("request_id", "service_requests"),
        _fk("registration_id", "registrations"),
        _fk("rescheduled_from_id", "bookings"),
        Index("ix_bookings_provider_day", "tenant_id", "provider_id", "starts_at"),
        Index("ix_bookings_customer", "tenant_id", "customer_id", "starts_at"),
    )

    provider_id: Mapped[uuid.UUID] = mapped_column()
    offering_id: Mapped[uuid.UUID] = mapped_column()
    customer_id: Mapped[uuid.UUID] = mapped_column()
    location_id: Mapped[uuid.UUID | None] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(20), default="booked")
    """``booked``, ``arrived``, ``in_progress``, ``completed``, ``cancelled`` or ``no_show``."""
    price_minor: Mapped[int] = mapped_column(BigInteger)
    """The provider's listed price for the offering when booked (the quote itemises and binds)."""
    currency: Mapped[str] = mapped_column(String(3))
    request_id: Mapped[uuid.UUID | None] = mapped_column()
    registration_id: Mapped[uuid.UUID | None] = mapped_column()
    under_warranty: Mapped[bool] = mapped_column(Boolean, default=False)
    site_latitude: Mapped[float | None] = mapped_column(Float)
    site_longitude: Mapped[float | None] = mapped_column(Float)
    distance_km: Mapped[float | None] = mapped_column(Float)
    consumables_requested: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    booked_by: Mapped[str] = mapped_column(String(120))
    arrived_at: Mapped[datetime | None] = mapped_column()
    started_at: Mapped[datetime | None] = mapped_column()
    completed_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()
    cancelled_by: Mapped[str | None] = mapped_column(String(120))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    no_show_at: Mapped[datetime | None] = mapped_column()
    rescheduled_from_id: Mapped[uuid.UUID | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BookedSlot(TenantOwned, Base):
    """One :data:`SLOT_MINUTES` unit of a provider's time held by a live booking. Unique per provider and start,
    so of two bookings racing for overlapping time exactly one can commit; a cancelled booking's units go."""

    __tablename__ = "booked_slots"
    __table_args__ = (
        UniqueConstraint("tenant_id", "provider_id", "starts_at"),
        _fk("provider_id", "providers"),
        _fk("booking_id", "bookings"),
        Index("ix_booked_slots_booking", "tenant_id", "booking_id"),
    )

    provider_id: Mapped[uuid.UUID] = mapped_column()
    booking_id: Mapped[uuid.UUID] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column()


class Quote(TenantOwned, Base):
    """An itemised price for a booking (``aftersales_quote``). Once accepted it caps the charge."""

    __tablename__ = "quotes"
    __table_args__ = (
        _fk("booking_id", "bookings"),
        Index("ix_quotes_booking", "tenant_id", "booking_id"),
        Index("uq_quotes_accepted", "tenant_id", "booking_id", unique=True,
              sqlite_where=text("state = 'accepted'"), postgresql_where=text("state = 'accepted'")),
    )

    booking_id: Mapped[uuid.UUID] = mapped_column()
    state: Mapped[str] = mapped_column(String(20), default="offered")
    """``offered``, ``accepted``, ``declined``, ``superseded`` or ``cancelled`` (accepted, then the booking was
    cancelled: recorded, because work then done off the platform is not the platform's)."""
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """``{kind, description, amount_minor, covered_by_warranty}`` per line, as the vertical priced them."""
    total_minor: Mapped[int] = mapped_column(BigInteger)
    """What the customer pays: the lines not covered by warranty."""
    currency: Mapped[str] = mapped_column(String(3))
    reasons: Mapped[list[str]] = mapped_column(Sentences, default=list)
    fee_basis_points: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The platform's fee on what is charged against this quote (the vertical's rate when quoted)."""
    binding: Mapped[bool] = mapped_column(Boolean, default=True)
    """The vertical's terms when quoted: accepted, it caps the charge (else it is an estimate)."""
    extra_work_needs_consent: Mapped[bool] = mapped_column(Boolean, default=True)
    """The vertical's terms when quoted: extra work is chargeable only through an approved change request."""
    offered_by: Mapped[str] = mapped_column(String(120))
    offered_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column()


class ChangeRequest(TenantOwned, Base):
    """Extra work a provider found: nothing of it is added to the job until the customer approves."""

    __tablename__ = "change_requests"
    __table_args__ = (_fk("booking_id", "bookings"), Index("ix_change_requests_booking", "tenant_id", "booking_id"))

    booking_id: Mapped[uuid.UUID] = mapped_column()
    description: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(20), default="pending")
    """``pending``, ``approved``, ``refused`` or ``withdrawn``."""
    raised_by: Mapped[str] = mapped_column(String(120))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column()
    decision_note: Mapped[str] = mapped_column(Text, default="")


class WorkItem(TenantOwned, Base):
    """Work the provider recorded on a job. Chargeable only when the accepted quote or an approved change
    request covers it; anything else stays on record and is never charged."""

    __tablename__ = "work_items"
    __table_args__ = (
        _fk("booking_id", "bookings"),
        _fk("change_request_id", "change_requests"),
        Index("ix_work_items_booking", "tenant_id", "booking_id"),
    )

    booking_id: Mapped[uuid.UUID] = mapped_column()
    description: Mapped[str] = mapped_column(Text)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    change_request_id: Mapped[uuid.UUID | None] = mapped_column()
    from_quote: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobCharge(TenantOwned, Base):
    """An attempt to charge a job: created within the cap (accepted quote plus approved changes) with the
    provider's payout and the platform's fee, or refused and kept as evidence."""

    __tablename__ = "job_charges"
    __table_args__ = (
        _fk("booking_id", "bookings"),
        _fk("quote_id", "quotes"),
        Index("ix_job_charges_booking", "tenant_id", "booking_id"),
        Index("uq_job_charges_created", "tenant_id", "booking_id", unique=True,
              sqlite_where=text("outcome = 'created'"), postgresql_where=text("outcome = 'created'")),
    )

    booking_id: Mapped[uuid.UUID] = mapped_column()
    quote_id: Mapped[uuid.UUID | None] = mapped_column()
    outcome: Mapped[str] = mapped_column(String(20))
    """``created`` or ``refused``."""
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    """What was asked for."""
    cap_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    provider_payout_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    platform_fee_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)


class Rating(TenantOwned, Base):
    """A customer's rating of the provider, or the provider's of the customer: one each per booking."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "booking_id", "direction"),
        _fk("booking_id", "bookings"),
        _fk("provider_id", "providers"),
        _fk("customer_id", "customers"),
        Index("ix_ratings_provider", "tenant_id", "provider_id", "created_at"),
        Index("ix_ratings_customer", "tenant_id", "customer_id", "created_at"),
        Index("ix_ratings_status", "tenant_id", "status"),
    )

    booking_id: Mapped[uuid.UUID] = mapped_column()
    direction: Mapped[str] = mapped_column(String(30))
    """``customer_rates_provider`` or ``provider_rates_customer``."""
    provider_id: Mapped[uuid.UUID] = mapped_column()
    customer_id: Mapped[uuid.UUID] = mapped_column()
    rater: Mapped[str] = mapped_column(String(120))
    stars: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    criteria: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    status: Mapped[str] = mapped_column(String(20))
    """``counted``, ``held`` (flagged, not counted until reviewed) or ``rejected``."""
    reasons: Mapped[list[str]] = mapped_column(Sentences, default=list)
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[datetime | None] = mapped_column()


class CustomerRatingTotal(TenantOwned, Base):
    """How providers have rated a customer, summed as ratings are counted."""

    __tablename__ = "customer_rating_totals"
    __table_args__ = (UniqueConstraint("tenant_id", "customer_id"), _fk("customer_id", "customers"))

    customer_id: Mapped[uuid.UUID] = mapped_column()
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    rating_weight: Mapped[float] = mapped_column(Float, default=0.0)
    rating_weighted_sum: Mapped[float] = mapped_column(Float, default=0.0)
    rating_average: Mapped[float | None] = mapped_column(Float)
