"""The tenant's parts price list and the quotes on its service requests."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKeyConstraint,
    Index,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow


class PartPrice(TenantOwned, Base):
    """An entry of the tenant's parts catalogue (parts and consumables): its part number, names, compatible models
    and supplier, and the manufacturer's list price quotes use. Stock of it is kept in :mod:`aftersales.parts`.

    Two codes are rates rather than parts: ``labour_hour`` (labour per hour) and ``travel_km`` (travel per km);
    quotes on service requests (and travel on bookings) charge by them when they are on the list.
    """

    __tablename__ = "part_prices"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    code: Mapped[str] = mapped_column(String(60))
    """The part number."""
    name: Mapped[str] = mapped_column(String(200))
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    """The name in other languages, ``{locale: name}``; a reader's locale missing here reads ``name``."""
    compatible_models: Mapped[list[str]] = mapped_column(JSON, default=list)
    """The product SKUs (of the tenant's catalogue, ``ProductModel.sku``) the part fits."""
    wear_part: Mapped[bool] = mapped_column(Boolean, default=False)
    """A consumable that wears in normal use (filters, belts, brushes): verticals may not cover it."""
    supplier: Mapped[str | None] = mapped_column(String(200))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ServiceQuote(TenantOwned, Base):
    """An itemised price for the tenant's own work on a service request (``aftersales_quote``); once the
    customer accepts it, it caps what the request's repair can be charged."""

    __tablename__ = "service_quotes"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "request_id"], ["service_requests.tenant_id", "service_requests.id"]),
        Index("ix_service_quotes_request", "tenant_id", "request_id"),
        Index("uq_service_quotes_accepted", "tenant_id", "request_id", unique=True,
              sqlite_where=text("state = 'accepted'"), postgresql_where=text("state = 'accepted'")),
    )

    request_id: Mapped[uuid.UUID] = mapped_column()
    state: Mapped[str] = mapped_column(String(20), default="offered")
    """``offered``, ``accepted``, ``declined`` or ``superseded``."""
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """``{kind, description, amount_minor, covered_by_warranty}`` per line; a description the vertical said as a
    message is stored as its JSON (``stored_text``)."""
    total_minor: Mapped[int] = mapped_column(BigInteger)
    """What the customer pays: the lines not covered by warranty."""
    currency: Mapped[str] = mapped_column(String(3))
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    """The vertical's reasons, each as ``stored_text``."""
    labour_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    visit_distance_km: Mapped[Decimal | None] = mapped_column(Numeric(9, 1))
    under_warranty: Mapped[bool] = mapped_column(Boolean, default=False)
    offered_by: Mapped[str] = mapped_column(String(120))
    offered_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column()
