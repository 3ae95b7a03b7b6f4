"""Warranty tables: the catalogue, the serial registry, and the log of public authenticity checks."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow


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


class Serial(TenantOwned, Base):
    """One unit in the registry. Card and hologram codes are stored only as keyed hashes (HMAC with the
    platform's code key), so a leaked database does not give the codes away."""

    __tablename__ = "serials"
    __table_args__ = (
        UniqueConstraint("tenant_id", "serial"),
        ForeignKeyConstraint(["tenant_id", "model_id"], ["product_models.tenant_id", "product_models.id"]),
        Index("ix_serials_tenant_model", "tenant_id", "model_id"),
    )

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
