"""Fulfilment tables: the tenant's warehouses, each order's way from a warehouse to the customer (allocation,
dispatch, delivery, installation, the late-delivery notice), the delivery changes customers ask for, and the
festival cards promised at sale.

The order itself (its state, address, phone, province, promised date) is the orders domain's row
(:class:`aftersales.orders.models.Order`); fulfilment moves its state from ``funded`` on and keeps the rest here.
Every table is tenant-owned (``tenant_id`` leads its keys and foreign keys).
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow
from aftersales.db.sentences import Sentence


def _fk(column: str, table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"])


class WarehouseKind(enum.StrEnum):
    CENTRAL = "central"
    """Ships to every province."""
    REGIONAL = "regional"
    """Ships within its own province only; an order it holds never moves to another province."""


class Warehouse(TenantOwned, Base):
    """A place the tenant ships orders from, in a province (ISO 3166-2 subdivision code, e.g. ``IR-23``)."""

    __tablename__ = "warehouses"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    code: Mapped[str] = mapped_column(String(40))
    """The tenant's own short name for it (``THR-1``), unique per tenant."""
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    province: Mapped[str] = mapped_column(String(6))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Fulfilment(TenantOwned, Base):
    """One order's fulfilment: who allocated it to which warehouse, dispatched, delivered (and whether the box
    was sealed), booked and confirmed its installation, and the late-delivery notice and compensation."""

    __tablename__ = "order_fulfilments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id"),
        _fk("order_id", "orders"),
        _fk("warehouse_id", "warehouses"),
        _fk("installation_booking_id", "bookings"),
        CheckConstraint("late_compensation_minor >= 0", name="compensation_not_negative"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column()
    warehouse_id: Mapped[uuid.UUID | None] = mapped_column()
    allocated_at: Mapped[datetime | None] = mapped_column()
    allocated_by: Mapped[str | None] = mapped_column(String(120))
    production_on: Mapped[date | None] = mapped_column(Date)
    """When the order's products were (or are to be) produced, as the warehouse says: told in a late notice."""
    dispatched_at: Mapped[datetime | None] = mapped_column()
    dispatched_by: Mapped[str | None] = mapped_column(String(120))
    delivered_at: Mapped[datetime | None] = mapped_column()
    delivered_by: Mapped[str | None] = mapped_column(String(120))
    delivered_sealed: Mapped[bool | None] = mapped_column(Boolean)
    """Whether the box was sealed when delivered: it decides whether damage found at installation is covered."""
    installation_booking_id: Mapped[uuid.UUID | None] = mapped_column()
    """The authorised technician's installation job (a marketplace booking)."""
    registration_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    """The warranty registrations the installation created, one per unit."""
    installed_at: Mapped[datetime | None] = mapped_column()
    installed_by: Mapped[str | None] = mapped_column(String(120))
    installed_on: Mapped[date | None] = mapped_column(Date)
    invoice_date: Mapped[date | None] = mapped_column(Date)
    """The purchase date the technician read from the invoice at installation."""
    late_notice_at: Mapped[datetime | None] = mapped_column()
    """When the customer was told the order is late (once per order)."""
    late_compensation_minor: Mapped[int | None] = mapped_column(BigInteger)
    """What the vertical gives for the lateness: as told in the notice, then as owed once delivered."""
    late_compensation_reason: Mapped[str | None] = mapped_column(Sentence)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ChangeState(enum.StrEnum):
    APPLIED = "applied"
    REFUSED = "refused"


class DeliveryChange(TenantOwned, Base):
    """A ticket asking to change an order's delivery address, phone or province: recorded with who asked and
    when, applied before dispatch, refused after it (or for a regional warehouse's order leaving its
    province) with the reason."""

    __tablename__ = "order_delivery_changes"
    __table_args__ = (_fk("order_id", "orders"), Index("ix_order_delivery_changes_order", "tenant_id", "order_id"))

    order_id: Mapped[uuid.UUID] = mapped_column()
    requested_by: Mapped[str] = mapped_column(String(120))
    delivery_address: Mapped[str | None] = mapped_column(Text)
    delivery_phone: Mapped[str | None] = mapped_column(String(32))
    province: Mapped[str | None] = mapped_column(String(6))
    previous: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The values the change replaced (or would have), by field."""
    state: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Sentence, default="")


class CardState(enum.StrEnum):
    OWED = "owed"
    ISSUED = "issued"
    REFUSED = "refused"


class FestivalCard(TenantOwned, Base):
    """A festival (promotion) card promised at sale: owed until the technician at installation confirms the
    purchase date from the invoice, then issued (bought within the festival's purchase window) or refused."""

    __tablename__ = "festival_cards"
    __table_args__ = (_fk("order_id", "orders"), Index("ix_festival_cards_order", "tenant_id", "order_id"),
                      CheckConstraint("purchases_from <= purchases_until", name="window_in_order"))

    order_id: Mapped[uuid.UUID] = mapped_column()
    festival: Mapped[str] = mapped_column(String(200))
    purchases_from: Mapped[date] = mapped_column(Date)
    purchases_until: Mapped[date] = mapped_column(Date)
    """The festival's purchase window: a purchase on these days (inclusive) earns the card."""
    promised_by: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(10), default=CardState.OWED.value)
    invoice_date: Mapped[date | None] = mapped_column(Date)
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Sentence, default="")
