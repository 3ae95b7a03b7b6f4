"""Putting messages in the outbox, in the caller's transaction (and a failed one back in, by staff).

A notification is a row in the same transaction as the change that causes it: if the change rolls back, so
does the message, and once the change commits the message will be delivered however the process ends.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, NotFound
from aftersales.outbox.models import CHANNELS, OutboxMessage


@dataclass(frozen=True)
class Message:
    """What to send, to whom, on which channel; ``key`` makes it idempotent within the tenant."""

    channel: str
    recipient: str
    event: str
    key: str
    subject: str = ""
    body: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    endpoint_id: uuid.UUID | None = None
    """The webhook endpoint a ``webhook`` message goes to (see :func:`aftersales.outbox.webhooks.enqueue_event`)."""


async def enqueue(session: AsyncSession, message: Message, *, now: datetime) -> OutboxMessage:
    """Add ``message`` to the outbox of the session's tenant, or return the one already queued with its key.

    :raises ValueError: for an unknown channel or an empty recipient (a caller's bug, not a user's input).
    """
    if message.channel not in CHANNELS:
        raise ValueError(f"unknown outbox channel {message.channel!r}")
    if not message.recipient:
        raise ValueError("an outbox message needs a recipient")
    if (message.channel == "webhook") != (message.endpoint_id is not None):
        raise ValueError("a webhook message, and only a webhook message, names its endpoint")
    existing = await session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == message.key))
    if existing is not None:
        return existing
    row = OutboxMessage(
        channel=message.channel, recipient=message.recipient, event=message.event, idempotency_key=message.key,
        subject=message.subject, body=message.body, payload=message.payload, webhook_endpoint_id=message.endpoint_id,
        next_attempt_at=now, created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def retry_failed(session: AsyncSession, message_id: uuid.UUID, *, now: datetime) -> OutboxMessage:
    """Queue a failed message again with a fresh set of attempts (after its receiver was fixed, say).

    :raises NotFound: no such message in this tenant. :raises Conflict: the message has not failed.
    """
    message = await session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id))
    if message is None:
        raise NotFound("no such outbox message")
    if message.status != "failed":
        raise Conflict(f"only a failed message can be retried; this one is {message.status}")
    message.status = "pending"
    message.attempts = 0
    message.next_attempt_at = now
    message.lease_until = None
    await session.flush()
    return message


async def outbox_counts(session: AsyncSession, *, overdue_before: datetime) -> tuple[int, int, int, datetime | None]:
    """The session's tenant's outbox at a glance: messages waiting, those of them due before ``overdue_before``,
    messages failed for good, and when the latest message was queued (None when there is none)."""
    pending = OutboxMessage.status == "pending"
    waiting, overdue, failed, latest = (await session.execute(select(
        func.count().filter(pending),
        func.count().filter(pending & (OutboxMessage.next_attempt_at < overdue_before)),
        func.count().filter(OutboxMessage.status == "failed"),
        func.max(OutboxMessage.created_at),
    ))).one()
    return waiting, overdue, failed, latest
