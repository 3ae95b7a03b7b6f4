"""Stock tables: where parts are kept, the append-only ledger of their movements, the jobs' reservations and
the buffer per part and location.

A part is a row of the tenant's parts catalogue (:class:`aftersales.service.quotes.models.PartPrice`, its id).
On hand, reserved and available are sums over :class:`StockMovement` per part, location and condition — never
counters that could drift. Every table is tenant-owned (``tenant_id`` leads its keys and foreign keys).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow


def _fk(column: str, table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"])


class LocationKind(enum.StrEnum):
    WAREHOUSE = "warehouse"
    """A warehouse of the tenant's (``warehouse_id``)."""
    SERVICE_POINT = "service_point"
    """A workshop or service office (``service_point_id``)."""
    VAN = "van"
    """A technician's van (``technician_id``)."""


class Condition(enum.StrEnum):
    NEW = "new"
    USED = "used"
    """Taken from a donor unit (``donor_unit_id`` on its receipt) or returned used."""


class MovementKind(enum.StrEnum):
    RECEIPT = "receipt"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    RESERVE = "reserve"
    RELEASE = "release"
    ISSUE = "issue"
    RETURN = "return"
    SCRAP = "scrap"
    ADJUST = "adjust"


class ReservationState(enum.StrEnum):
    OPEN = "open"
    ISSUED = "issued"
    RELEASED = "released"


class StockLocation(TenantOwned, Base):
    """A place parts are kept: a warehouse, a service point or a technician's van."""

    __tablename__ = "stock_locations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        _fk("warehouse_id", "warehouses"),
        _fk("service_point_id", "service_points"),
        CheckConstraint(
            "(kind = 'warehouse' AND warehouse_id IS NOT NULL AND service_point_id IS NULL"
            " AND technician_id IS NULL)"
            " OR (kind = 'service_point' AND service_point_id IS NOT NULL AND warehouse_id IS NULL"
            " AND technician_id IS NULL)"
            " OR (kind = 'van' AND technician_id IS NOT NULL AND warehouse_id IS NULL"
            " AND service_point_id IS NULL)",
            name="one_place",
        ),
    )

    code: Mapped[str] = mapped_column(String(40))
    """The tenant's own short name for it (``THR-WS``, ``VAN-12``), unique per tenant."""
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    warehouse_id: Mapped[uuid.UUID | None] = mapped_column()
    service_point_id: Mapped[uuid.UUID | None] = mapped_column()
    technician_id: Mapped[uuid.UUID | None] = mapped_column()
    """The technician whose van it is (dispatch's ``technicians``; the foreign key comes with that table)."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StockReservation(TenantOwned, Base):
    """A job's hold on parts at a location: open until the parts are issued to the job or released."""

    __tablename__ = "stock_reservations"
    __table_args__ = (
        _fk("part_id", "part_prices"),
        _fk("location_id", "stock_locations"),
        _fk("request_id", "service_requests"),
        _fk("booking_id", "bookings"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_stock_reservations_request", "tenant_id", "request_id"),
        Index("ix_stock_reservations_booking", "tenant_id", "booking_id"),
    )

    part_id: Mapped[uuid.UUID] = mapped_column()
    location_id: Mapped[uuid.UUID] = mapped_column()
    condition: Mapped[str] = mapped_column(String(10))
    quantity: Mapped[int] = mapped_column(BigInteger)
    request_id: Mapped[uuid.UUID | None] = mapped_column()
    booking_id: Mapped[uuid.UUID | None] = mapped_column()
    state: Mapped[str] = mapped_column(String(10), default=ReservationState.OPEN)
    reserved_by: Mapped[str] = mapped_column(String(120))
    decided_by: Mapped[str | None] = mapped_column(String(120))
    """Who issued or released it."""
    decided_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class StockMovement(TenantOwned, Base):
    """One line of the append-only stock ledger: what moved in or out of a location's on-hand and reserved
    quantities of a part in a condition, why, for which job and who did it."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        _fk("part_id", "part_prices"),
        _fk("location_id", "stock_locations"),
        _fk("reservation_id", "stock_reservations"),
        _fk("request_id", "service_requests"),
        _fk("booking_id", "bookings"),
        Index("ix_stock_movements_part_location", "tenant_id", "part_id", "location_id", "condition"),
        Index("ix_stock_movements_request", "tenant_id", "request_id"),
    )

    part_id: Mapped[uuid.UUID] = mapped_column()
    location_id: Mapped[uuid.UUID] = mapped_column()
    condition: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    on_hand_delta: Mapped[int] = mapped_column(BigInteger, default=0)
    reserved_delta: Mapped[int] = mapped_column(BigInteger, default=0)
    donor_unit_id: Mapped[uuid.UUID | None] = mapped_column()
    """The scrapped unit a used part came from (the supply branch's donors)."""
    reservation_id: Mapped[uuid.UUID | None] = mapped_column()
    transfer_id: Mapped[uuid.UUID | None] = mapped_column()
    """Pairs a transfer's ``transfer_out`` and ``transfer_in`` rows."""
    request_id: Mapped[uuid.UUID | None] = mapped_column()
    booking_id: Mapped[uuid.UUID | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)


class StockMinimum(TenantOwned, Base):
    """The buffer kept of a part at a location: below ``minimum`` available, it is on the reorder list."""

    __tablename__ = "stock_minimums"
    __table_args__ = (
        UniqueConstraint("tenant_id", "part_id", "location_id"),
        _fk("part_id", "part_prices"),
        _fk("location_id", "stock_locations"),
        CheckConstraint("minimum >= 0", name="minimum_not_negative"),
        CheckConstraint("reorder_quantity IS NULL OR reorder_quantity > 0", name="reorder_quantity_positive"),
    )

    part_id: Mapped[uuid.UUID] = mapped_column()
    location_id: Mapped[uuid.UUID] = mapped_column()
    minimum: Mapped[int] = mapped_column(BigInteger)
    reorder_quantity: Mapped[int | None] = mapped_column(BigInteger)
    """How many to order at once; without it the suggestion tops available up to the minimum."""
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
