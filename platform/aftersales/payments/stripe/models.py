"""Stripe tables: a tenant's Stripe account (its credentials, encrypted) and the webhook events it has processed.

``stripe_events`` is the de-duplication record: an event id is written in the transaction that applies the event,
so a redelivered event finds it and changes nothing, and an event whose transaction rolled back is applied when
Stripe delivers it again.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow


class StripeAccount(TenantOwned, Base):
    """The tenant's Stripe credentials (one row per tenant). Secrets are Fernet tokens, never plain text."""

    __tablename__ = "stripe_accounts"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    secret_key_encrypted: Mapped[str] = mapped_column(Text)
    webhook_secret_encrypted: Mapped[str] = mapped_column(Text)
    publishable_key: Mapped[str] = mapped_column(String(255))
    """Public by design: the portal hands it to Stripe.js."""
    secret_key_last4: Mapped[str] = mapped_column(String(4))
    webhook_secret_last4: Mapped[str] = mapped_column(String(4))
    mode: Mapped[str] = mapped_column(String(4))
    """``test`` or ``live``, from the key prefix (``sk_test_`` / ``sk_live_``)."""
    connect_mode: Mapped[str] = mapped_column(String(20))
    """``off`` (no Connect), or ``destination``: marketplace jobs are destination charges with an application fee."""
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StripeEvent(TenantOwned, Base):
    """A webhook event the tenant has applied (or found nothing to do for), by Stripe's event id."""

    __tablename__ = "stripe_events"
    __table_args__ = (UniqueConstraint("tenant_id", "event_id"),)

    event_id: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(80))
    payment_id: Mapped[uuid.UUID | None] = mapped_column()
    outcome: Mapped[str] = mapped_column(Text)
    """What applying it did, in words (``posted capture 5000``, ``nothing new``)."""
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
