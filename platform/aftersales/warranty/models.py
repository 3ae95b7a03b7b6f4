"""Warranty tables: the catalogue, the serial registry, the log of public authenticity checks, purchase
registrations with their coverage, and claims."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
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
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow
from aftersales.db.sentences import Sentences


class SerialStatus(enum.StrEnum):
    IN_STOCK = "in_stock"
    SOLD = "sold"
    REGISTERED = "registered"
    REPLACED = "replaced"
    RECALLED = "recalled"
    BLOCKED = "blocked"


class ProductModel(TenantOwned, Base):
    """A model in a tenant's catalogue: what the vertical's rules need to know about it."""

    __tablename__ = "product_models"
    __table_args__ = (UniqueConstraint("tenant_id", "sku"),)

    sku: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(80), default="")
    volume_m3: Mapped[float | None] = mapped_column(Float)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    warranty_months: Mapped[int | None] = mapped_column(Integer)
    """Overrides the vertical's warranty length for this model when set."""
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    in_stock: Mapped[bool] = mapped_column(Boolean, default=True)
    """Whether the model can be sold now: a pro-forma listing one out of stock is a store violation."""
    list_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    """The catalogue price in the tenant's currency (minor units); an order line without a price takes it."""


class Serial(TenantOwned, Base):
    """One unit in the registry. Card and hologram codes are stored only as keyed hashes (HMAC with the
    platform's code key), so a leaked database does not give the codes away."""

    __tablename__ = "serials"
    __table_args__ = (
        UniqueConstraint("tenant_id", "serial"),
        ForeignKeyConstraint(["tenant_id", "model_id"], ["product_models.tenant_id", "product_models.id"]),
        Index("ix_serials_tenant_model", "tenant_id", "model_id"),
        # Staff page through suspected clones newest first; only the few flagged rows are indexed.
        Index("ix_serials_clone_suspected", "tenant_id", "clone_suspected_at",
              sqlite_where=text("clone_suspected_at IS NOT NULL"),
              postgresql_where=text("clone_suspected_at IS NOT NULL")),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, sort_order=-10)
    """No foreign key of its own to ``tenants``: the one to ``(tenant_id, model_id)`` already proves the tenant
    exists, and on PostgreSQL each foreign key is a trigger per inserted row (a bulk import's biggest cost)."""

    serial: Mapped[str] = mapped_column(String(64))
    """The serial as the vertical normalised it."""
    model_id: Mapped[uuid.UUID] = mapped_column()
    batch: Mapped[str] = mapped_column(String(80), default="")
    manufactured_on: Mapped[date | None] = mapped_column(Date)
    shipped_on: Mapped[date | None] = mapped_column(Date)
    seller: Mapped[str] = mapped_column(String(200), default="")
    card_code_hash: Mapped[str | None] = mapped_column(String(64))
    hologram_code_hash: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default=SerialStatus.IN_STOCK.value)
    clone_suspected_at: Mapped[datetime | None] = mapped_column()
    clone_reason: Mapped[str | None] = mapped_column(String(300))
    status_reason: Mapped[str | None] = mapped_column(String(300))
    """Why staff blocked, recalled or released the unit, for the next agent who looks."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SerialCheck(TenantOwned, Base):
    """One public authenticity check: what was asked, by which client (a keyed hash, never the raw address),
    and what was answered. Drives rate limiting and the suspected-clone alerts."""

    __tablename__ = "serial_checks"
    __table_args__ = (
        Index("ix_serial_checks_serial_time", "tenant_id", "serial", "checked_at"),
        Index("ix_serial_checks_client_time", "tenant_id", "client_key", "checked_at"),
    )

    serial: Mapped[str] = mapped_column(String(64))
    client_key: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegistrationStatus(enum.StrEnum):
    ACTIVE = "active"
    TRANSFERRED = "transferred"
    """Ended because the unit changed hands; the next owner's registration points back here."""


class ClaimStatus(enum.StrEnum):
    DECIDED = "decided"
    """Assessed; the decision stands and nothing more is recorded against it yet."""
    EXCHANGED = "exchanged"
    """An accepted exchange whose replacement unit has been handed over."""


ACTIVE_ONLY = text("status = 'active'")
CURRENT_ONLY = text("superseded_at IS NULL")


class Attachment(TenantOwned, Base):
    """A file a customer or agent handed in (proof of purchase). The bytes live in the data directory under
    the tenant's folder, named by their SHA-256; the row says what they are."""

    __tablename__ = "attachments"

    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))


class Registration(TenantOwned, Base):
    """A purchase registered against a serial: who owns the unit and what they bought it for.

    At most one registration of a serial is active (a partial unique index). A transfer ends the active one
    and starts the next owner's, which points back at it, so the ownership history is the chain.
    """

    __tablename__ = "registrations"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "serial_id"], ["serials.tenant_id", "serials.id"]),
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        ForeignKeyConstraint(["tenant_id", "previous_id"], ["registrations.tenant_id", "registrations.id"]),
        ForeignKeyConstraint(["tenant_id", "proof_id"], ["attachments.tenant_id", "attachments.id"]),
        Index("uq_registrations_active_serial", "tenant_id", "serial_id", unique=True,
              sqlite_where=ACTIVE_ONLY, postgresql_where=ACTIVE_ONLY),
        Index("ix_registrations_serial", "tenant_id", "serial_id"),
        Index("ix_registrations_customer", "tenant_id", "customer_id"),
    )

    serial_id: Mapped[uuid.UUID] = mapped_column()
    customer_id: Mapped[uuid.UUID] = mapped_column()
    purchased_on: Mapped[date] = mapped_column(Date)
    """The original sale: a transfer keeps it, since the warranty runs from the sale, not the hand-over."""
    invoice_number: Mapped[str] = mapped_column(String(80), default="")
    price_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    seller: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=RegistrationStatus.ACTIVE.value)
    owned_from: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    previous_id: Mapped[uuid.UUID | None] = mapped_column()
    proof_id: Mapped[uuid.UUID | None] = mapped_column()
    registered_by: Mapped[str] = mapped_column(String(120))
    """Who registered it: ``staff:<id>`` or ``client:<client id>``."""
    installed_on: Mapped[date | None] = mapped_column(Date)
    """When the unit was installed or commissioned at the customer's site, as staff recorded it."""
    training_signed_off_on: Mapped[date | None] = mapped_column(Date)
    """The tenant-local date the customer signed off the installation training (first sign-off)."""
    delivered_sealed: Mapped[bool | None] = mapped_column(Boolean)
    """Whether the box was sealed on delivery, when the company delivered it (an order's delivery): a claim
    that does not say takes it from here."""
    installed_by_authorised_technician: Mapped[bool | None] = mapped_column(Boolean)
    """Whether the installation booked for it went to a technician authorised that day: a claim that does not
    say takes it from here."""


class Coverage(TenantOwned, Base):
    """What a registration's warranty covers and until when, with the terms and reasons that produced it.

    Recomputed coverage (after an exchange) supersedes the old row instead of overwriting it; the current
    coverage of a registration is its one row with ``superseded_at`` unset.
    """

    __tablename__ = "coverages"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "registration_id"], ["registrations.tenant_id", "registrations.id"]),
        Index("uq_coverages_current", "tenant_id", "registration_id", unique=True,
              sqlite_where=CURRENT_ONLY, postgresql_where=CURRENT_ONLY),
    )

    registration_id: Mapped[uuid.UUID] = mapped_column()
    warranty_start: Mapped[date] = mapped_column(Date)
    warranty_end: Mapped[date] = mapped_column(Date)
    parts_support_end: Mapped[date | None] = mapped_column(Date)
    return_until: Mapped[date | None] = mapped_column(Date)
    exchange_until: Mapped[date | None] = mapped_column(Date)
    restarts_on_exchange: Mapped[bool] = mapped_column(Boolean, default=False)
    exclusions: Mapped[list[str]] = mapped_column(Sentences, default=list)
    reasons: Mapped[list[str]] = mapped_column(Sentences, default=list)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """Per-component cover (:class:`~aftersales.contract.values.CoverageItem`): ``component``, ``ends_on``
    (ISO date or None), ``covered`` and ``reason`` (stored text)."""
    cause: Mapped[str] = mapped_column(String(20))
    """Why it was computed: ``registered``, ``transferred``, ``exchanged``, ``installed`` or
    ``training_signed_off``."""
    superseded_at: Mapped[datetime | None] = mapped_column()


class Claim(TenantOwned, Base):
    """A return, exchange or repair claimed against a registration, with the facts recorded and the vertical's
    decision on them. An exchange also records the faulty → replacement serial swap."""

    __tablename__ = "claims"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "registration_id"], ["registrations.tenant_id", "registrations.id"]),
        ForeignKeyConstraint(["tenant_id", "serial_id"], ["serials.tenant_id", "serials.id"]),
        ForeignKeyConstraint(["tenant_id", "replacement_serial_id"], ["serials.tenant_id", "serials.id"]),
        Index("ix_claims_registration", "tenant_id", "registration_id"),
    )

    registration_id: Mapped[uuid.UUID] = mapped_column()
    serial_id: Mapped[uuid.UUID] = mapped_column()
    """The unit claimed against (for an exchange, the faulty one)."""
    kind: Mapped[str] = mapped_column(String(20))
    reported_on: Mapped[date] = mapped_column(Date)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    decision: Mapped[str] = mapped_column(String(20))
    failed_conditions: Mapped[list[str]] = mapped_column(Sentences, default=list)
    reasons: Mapped[list[str]] = mapped_column(Sentences, default=list)
    requires_onsite_visit: Mapped[bool] = mapped_column(Boolean, default=False)
    arrange_by_phone_first: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=ClaimStatus.DECIDED.value)
    filed_by: Mapped[str] = mapped_column(String(120))
    replacement_serial_id: Mapped[uuid.UUID | None] = mapped_column()
    exchanged_on: Mapped[date | None] = mapped_column(Date)
    resolution_options: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    """The replace-or-refund offer made for this claim, as the vertical priced it."""
