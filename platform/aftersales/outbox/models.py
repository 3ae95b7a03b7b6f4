"""The outbox table: one row per message to send, written in the transaction of the change that causes it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow

CHANNELS = ("email", "sms", "webhook")
STATUSES = ("pending", "delivered", "failed")


class OutboxMessage(TenantOwned, Base):
    """A message waiting to be delivered, being delivered, delivered, or given up on after its attempts.

    The worker leases a due message (``lease_until``) before delivering it and records the outcome after; a
    worker killed in between leaves the lease to run out, and the next worker delivers the message again
    with the same ``idempotency_key`` (at-least-once delivery; receivers de-duplicate by the key).
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        UniqueConstraint("tenant_id", "idempotency_key"),
        Index("ix_outbox_messages_due", "tenant_id", "next_attempt_at",
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
        ForeignKeyConstraint(["tenant_id", "webhook_endpoint_id"],
                             ["webhook_endpoints.tenant_id", "webhook_endpoints.id"]),
        Index("ix_outbox_messages_endpoint", "tenant_id", "webhook_endpoint_id", "id"),
    )

    channel: Mapped[str] = mapped_column(String(10))
    """``email``, ``sms`` or ``webhook``."""
    recipient: Mapped[str] = mapped_column(String(320))
    """An e-mail address, an E.164 phone number, or a webhook endpoint's URL."""
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    event: Mapped[str] = mapped_column(String(60))
    """What happened, e.g. ``sla.breached``, ``complaint.answered``, ``recall.notice``."""
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Machine-readable facts of the event (what a webhook receives)."""
    idempotency_key: Mapped[str] = mapped_column(String(200))
    """Unique per tenant: enqueueing the same key twice gives one message; sent with every attempt."""
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str] = mapped_column(Text, default="")
    delivered_at: Mapped[datetime | None] = mapped_column()
    webhook_endpoint_id: Mapped[uuid.UUID | None] = mapped_column()
    """The endpoint a webhook message goes to (its URL is ``recipient``, its signing secret is the endpoint's)."""


class WebhookEndpoint(TenantOwned, Base):
    """A tenant's URL that receives the events it subscribed to, as JSON signed with the endpoint's secret.

    The secret is shown once, when the endpoint is created, and stored encrypted (:mod:`aftersales.outbox.secrets`):
    the worker needs it back to sign, so it cannot be a one-way hash.
    """

    __tablename__ = "webhook_endpoints"

    url: Mapped[str] = mapped_column(String(320))
    events: Mapped[list[str]] = mapped_column(JSON)
    """Event names this endpoint receives, or ``["*"]`` for all of them."""
    description: Mapped[str] = mapped_column(String(200), default="")
    secret_encrypted: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_at: Mapped[datetime | None] = mapped_column()

    def subscribes_to(self, event: str) -> bool:
        return self.active and ("*" in self.events or event in self.events)
