"""Recall tables: a campaign (what is wrong, what fixes it, which units it selects) and its units, one row per
unit selected at launch, tracking notice, acknowledgement and fix."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKeyConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    """Selection set, nothing touched yet: the preview counts what a launch would reach."""
    ACTIVE = "active"
    """Launched: units recalled, owners notified; acknowledgements and fixes are being recorded."""
    CLOSED = "closed"


class AckChannel(enum.StrEnum):
    CUSTOMER_LINK = "customer_link"
    AGENT = "agent"


class RecallCampaign(TenantOwned, Base):
    """A recall of the units sharing a defect, selected by model, batch and/or a serial range (all given
    criteria must hold). The range ends are serials as the vertical normalises them, of one length."""

    __tablename__ = "recall_campaigns"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "model_id"], ["product_models.tenant_id", "product_models.id"]),
        Index("ix_recall_campaigns_status", "tenant_id", "status"),
    )

    title: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(300))
    """The defect, in words; recalled units carry it as their status reason."""
    remedy: Mapped[str] = mapped_column(Text)
    """What the owner should do and what the company will do, as the notice says it."""
    model_id: Mapped[uuid.UUID | None] = mapped_column()
    batch: Mapped[str | None] = mapped_column(String(80))
    serial_from: Mapped[str | None] = mapped_column(String(64))
    serial_to: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default=CampaignStatus.DRAFT.value)
    created_by: Mapped[str] = mapped_column(String(120))
    launched_at: Mapped[datetime | None] = mapped_column()
    launched_by: Mapped[str | None] = mapped_column(String(120))
    closed_at: Mapped[datetime | None] = mapped_column()


class RecallUnit(TenantOwned, Base):
    """One unit a launched campaign recalled: its owner at launch (none for unsold or unregistered stock), the
    notices sent, and when and how it was acknowledged and fixed. The owner's acknowledgement link carries a
    random token; only its SHA-256 is stored."""

    __tablename__ = "recall_units"
    __table_args__ = (
        UniqueConstraint("tenant_id", "campaign_id", "serial"),
        UniqueConstraint("tenant_id", "ack_token_hash"),
        ForeignKeyConstraint(["tenant_id", "campaign_id"], ["recall_campaigns.tenant_id", "recall_campaigns.id"]),
        ForeignKeyConstraint(["tenant_id", "serial_id"], ["serials.tenant_id", "serials.id"]),
        ForeignKeyConstraint(["tenant_id", "registration_id"], ["registrations.tenant_id", "registrations.id"]),
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        Index("ix_recall_units_serial", "tenant_id", "serial_id"),
    )

    campaign_id: Mapped[uuid.UUID] = mapped_column()
    serial_id: Mapped[uuid.UUID] = mapped_column()
    serial: Mapped[str] = mapped_column(String(64))
    """The unit's serial, kept here so a campaign's units page by serial without a join."""
    status_before: Mapped[str] = mapped_column(String(20))
    """The unit's status at launch (in stock, sold or registered): what a fix returns it to."""
    registration_id: Mapped[uuid.UUID | None] = mapped_column()
    customer_id: Mapped[uuid.UUID | None] = mapped_column()
    ack_token_hash: Mapped[str | None] = mapped_column(String(64))
    notified_at: Mapped[datetime | None] = mapped_column()
    message_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    acknowledged_via: Mapped[str | None] = mapped_column(String(20))
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    fixed_at: Mapped[datetime | None] = mapped_column()
    fix_note: Mapped[str | None] = mapped_column(Text)
    fixed_by: Mapped[str | None] = mapped_column(String(120))
