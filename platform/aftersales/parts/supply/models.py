"""Supply tables: back-orders placed with suppliers, donor units and the parts harvested from them, faulty parts
awaiting return and the supplier return batches (RMA) they travel in.

Every table is tenant-owned (``tenant_id`` leads its keys and foreign keys). Harvests are append-only: a donor's
part, once harvested, is a fact.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned
from aftersales.db.sentences import Sentence


def _fk(column: str, table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"])


class BackorderState(enum.StrEnum):
    OPEN = "open"
    """Placed with the supplier; nothing received yet."""
    RECEIVED = "received"
    """The supplier's parts arrived: a receipt posted, the job's quantity reserved."""


class Backorder(TenantOwned, Base):
    """A part ordered from its supplier because a job found it short: how many, the supplier's reference and the
    date the supplier expects to deliver. While it is open its service request waits for parts."""

    __tablename__ = "parts_backorders"
    __table_args__ = (
        _fk("part_id", "part_prices"),
        _fk("request_id", "service_requests"),
        _fk("location_id", "stock_locations"),
        _fk("reservation_id", "stock_reservations"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_parts_backorders_request", "tenant_id", "request_id"),
        Index("ix_parts_backorders_state_expected", "tenant_id", "state", "expected_on"),
    )

    part_id: Mapped[uuid.UUID] = mapped_column()
    quantity: Mapped[int] = mapped_column(Integer)
    supplier: Mapped[str] = mapped_column(String(200))
    supplier_reference: Mapped[str] = mapped_column(String(100), default="")
    expected_on: Mapped[date] = mapped_column(Date)
    """The day the supplier expects to deliver (tenant-local): told to the customer; past it, the order is late."""
    location_id: Mapped[uuid.UUID] = mapped_column()
    """Where the parts will be received (and reserved for the job)."""
    request_id: Mapped[uuid.UUID] = mapped_column()
    """The service request that waits for the part."""
    state: Mapped[str] = mapped_column(String(10), default=BackorderState.OPEN.value)
    placed_by: Mapped[str] = mapped_column(String(120))
    received_at: Mapped[datetime | None] = mapped_column()
    received_by: Mapped[str | None] = mapped_column(String(120))
    reservation_id: Mapped[uuid.UUID | None] = mapped_column()
    """The hold on the received parts for the job, made on receipt."""


class DonorSource(enum.StrEnum):
    REPLACED = "replaced"
    """A unit the customer got a replacement for."""
    SCRAPPED = "scrapped"
    TAKEN_IN = "taken_in"
    """A unit taken in (traded in, abandoned) for its parts."""


class DonorUnit(TenantOwned, Base):
    """A replaced, scrapped or taken-in unit whose usable parts may go into stock as used parts (Mehr's urgent
    repairs). A unit (by its serial) is a donor once."""

    __tablename__ = "donor_units"
    __table_args__ = (
        UniqueConstraint("tenant_id", "serial"),
        _fk("registration_id", "registrations"),
        _fk("location_id", "stock_locations"),
    )

    serial: Mapped[str] = mapped_column(String(100))
    """The unit's serial (IMEI, registration number), as the registration has it when one is given."""
    registration_id: Mapped[uuid.UUID | None] = mapped_column()
    source: Mapped[str] = mapped_column(String(10))
    location_id: Mapped[uuid.UUID] = mapped_column()
    """Where the unit is kept, and its harvested parts are stocked."""
    note: Mapped[str] = mapped_column(Sentence, default="")
    registered_by: Mapped[str] = mapped_column(String(120))


class DonorHarvest(TenantOwned, Base):
    """A usable part taken from a donor unit into stock (as a ``used`` receipt), chosen by a technician; each
    part code of a donor is harvested once. Append-only."""

    __tablename__ = "donor_harvests"
    __table_args__ = (
        UniqueConstraint("tenant_id", "donor_unit_id", "part_id"),
        _fk("donor_unit_id", "donor_units"),
        _fk("part_id", "part_prices"),
        _fk("movement_id", "stock_movements"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    donor_unit_id: Mapped[uuid.UUID] = mapped_column()
    part_id: Mapped[uuid.UUID] = mapped_column()
    quantity: Mapped[int] = mapped_column(Integer)
    movement_id: Mapped[uuid.UUID] = mapped_column()
    """The ``receipt`` that put the part into stock."""
    harvested_by: Mapped[str] = mapped_column(String(120))


class FaultyState(enum.StrEnum):
    AWAITING_RETURN = "awaiting_return"
    BATCHED = "batched"


class FaultyPart(TenantOwned, Base):
    """A faulty part removed from a unit repaired under warranty: kept to go back to its supplier, with the
    warranty cost it stands for (the list price of the replacement issued)."""

    __tablename__ = "faulty_parts"
    __table_args__ = (
        _fk("part_id", "part_prices"),
        _fk("request_id", "service_requests"),
        _fk("batch_id", "part_return_batches"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("warranty_cost_minor >= 0", name="cost_not_negative"),
        Index("ix_faulty_parts_supplier_state", "tenant_id", "supplier", "state"),
    )

    part_id: Mapped[uuid.UUID] = mapped_column()
    quantity: Mapped[int] = mapped_column(Integer)
    request_id: Mapped[uuid.UUID] = mapped_column()
    supplier: Mapped[str] = mapped_column(String(200))
    warranty_cost_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(20), default=FaultyState.AWAITING_RETURN.value)
    batch_id: Mapped[uuid.UUID | None] = mapped_column()
    tagged_by: Mapped[str] = mapped_column(String(120))


class BatchState(enum.StrEnum):
    OPEN = "open"
    SENT = "sent"
    CREDITED = "credited"
    REJECTED = "rejected"


class ReturnBatch(TenantOwned, Base):
    """Faulty parts going back to one supplier under its RMA number: open (collecting), sent, then credited
    (the supplier's credit recorded against the warranty cost) or rejected with the supplier's reason."""

    __tablename__ = "part_return_batches"
    __table_args__ = (
        UniqueConstraint("tenant_id", "supplier", "rma_number"),
        CheckConstraint("credit_minor >= 0", name="credit_not_negative"),
    )

    supplier: Mapped[str] = mapped_column(String(200))
    rma_number: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(10), default=BatchState.OPEN.value)
    opened_by: Mapped[str] = mapped_column(String(120))
    sent_at: Mapped[datetime | None] = mapped_column()
    sent_by: Mapped[str | None] = mapped_column(String(120))
    closed_at: Mapped[datetime | None] = mapped_column()
    closed_by: Mapped[str | None] = mapped_column(String(120))
    credit_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    rejection_reason: Mapped[str] = mapped_column(Sentence, default="")
