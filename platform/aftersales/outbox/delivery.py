"""Delivering due outbox messages: claim them under a lease, send outside any transaction, record the outcome.

1. **Claim** (one short transaction): due pending messages get ``attempts + 1`` and a lease —
   ``lease_until = next_attempt_at = now + lease``. On PostgreSQL the claim skips rows another worker has
   locked (``FOR UPDATE SKIP LOCKED``), so concurrent workers take disjoint batches; on SQLite the claim is one
   ``UPDATE … RETURNING``, which SQLite runs under its single write lock.
2. **Send**, with no transaction open and every attempt bounded to part of the lease, so a live worker has
   always given up on a message before its lease ends and another worker may take it: two workers never
   deliver one message at the same time.
3. **Record** (one short transaction): delivered; or due again after an exponential back-off with jitter; or
   failed, when the receiver refused it for good or after :data:`MAX_ATTEMPTS`. The update names the attempt it
   records, so a worker that overran its lease cannot overwrite a later attempt's outcome.

A worker killed between 1 and 3 leaves the message pending with its lease; when the lease runs out the message
is due again (``next_attempt_at`` is the lease's end) and the next worker sends it with the same idempotency
key. Delivery is therefore at least once, and receivers de-duplicate by the key.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime, timedelta

from sqlalchemy import literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.outbox.channels import Channel, DeliveryError, PermanentError, RetryableError
from aftersales.outbox.channels.sms import SmsChannel, file_gateway_for
from aftersales.outbox.channels.smtp import SmtpChannel, SmtpServer
from aftersales.outbox.channels.webhook import WebhookChannel, WebhookTarget
from aftersales.outbox.models import OutboxMessage, WebhookEndpoint
from aftersales.outbox.secrets import secret_box
from aftersales.outbox.webhooks import endpoint_secret
from aftersales.runtime import Runtime
from aftersales.settings import Settings
from aftersales.tenancy.models import Tenant

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
"""Attempts before a message that keeps failing is marked failed: 32 to 64 minutes of back-off in all."""
UNFINISHED = f"no attempt finished: the worker stopped during each of {MAX_ATTEMPTS} attempts"
"""Why a message claimed more than :data:`MAX_ATTEMPTS` times is failed unsent: whatever sending it does kills
the worker (or a worker keeps dying for another reason), and retrying it for ever would block nothing else but
hide the fault."""
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 6 * 3600
BATCH = 50
"""Messages claimed per transaction."""
CONCURRENT_SENDS = 10
SEND_SHARE_OF_LEASE = 0.8
"""An attempt is abandoned (and retried) after this share of the lease, so it never outlives the lease."""


def retry_delay(attempt: int, rand: Callable[[], float] = random.random) -> timedelta:
    """How long to wait after failed attempt number ``attempt`` (1, 2, …): 30 s doubling each time, capped at
    6 h, of which a random half is dropped ("equal jitter") so messages that failed together spread out."""
    ceiling = min(BACKOFF_BASE_SECONDS * 2 ** (attempt - 1), BACKOFF_CAP_SECONDS)
    return timedelta(seconds=ceiling / 2 + rand() * ceiling / 2)


async def deliver_due(runtime: Runtime, tenant_id: uuid.UUID, now: datetime, limit: int = BATCH) -> int:
    """Claim up to ``limit`` of the tenant's messages due at ``now``, send them and record how each went.

    :return: how many messages were attempted (delivered, retried or failed).
    """
    lease_seconds = runtime.settings.outbox_lease_seconds
    async with runtime.db.transaction(tenant_id) as session:
        claimed = await claim_due(session, now=now, lease_until=now + timedelta(seconds=lease_seconds), limit=limit)
        abandoned = [m for m in claimed if m.attempts > MAX_ATTEMPTS]
        for message in abandoned:
            await _record(session, message, PermanentError(UNFINISHED), now)
        claimed = [m for m in claimed if m.attempts <= MAX_ATTEMPTS]
        targets = await _webhook_targets(session, runtime.settings, claimed)
    if not claimed:
        return len(abandoned)
    async with runtime.db.platform_session() as session:
        tenant = await session.get(Tenant, tenant_id)
    assert tenant is not None, "outbox messages of a tenant that does not exist"
    async with _channels(runtime.settings, tenant, targets) as channels:
        errors = await _send_all(channels, claimed, seconds=lease_seconds * SEND_SHARE_OF_LEASE)
    async with runtime.db.transaction(tenant_id) as session:
        for message, error in zip(claimed, errors, strict=True):
            await _record(session, message, error, now)
    return len(claimed) + len(abandoned)


async def claim_due(session: AsyncSession, *, now: datetime, lease_until: datetime, limit: int) -> list[OutboxMessage]:
    """Lease up to ``limit`` of the session's tenant's messages due at ``now`` (step 1); commit to hold them."""
    # A CTE, not ``id IN (subquery)``: PostgreSQL may run an IN-subquery more than once per statement, and each
    # run skips what the last one locked, so LIMIT stopped holding. A locking CTE runs exactly once.
    # 'pending' is written into the SQL, not bound: a prepared statement's generic plan can use the partial
    # index (WHERE status = 'pending') only when the predicate says so literally.
    due = (select(OutboxMessage.tenant_id, OutboxMessage.id)
           .where(OutboxMessage.status == literal("pending", literal_execute=True),
                  OutboxMessage.next_attempt_at <= now)
           .order_by(OutboxMessage.next_attempt_at)
           .limit(limit)
           .with_for_update(skip_locked=True)
           .cte("due"))
    claim = (update(OutboxMessage)
             .where(OutboxMessage.tenant_id == due.c.tenant_id, OutboxMessage.id == due.c.id)
             .values(attempts=OutboxMessage.attempts + 1, lease_until=lease_until, next_attempt_at=lease_until)
             .returning(OutboxMessage)
             .execution_options(synchronize_session=False, populate_existing=True))
    return list(await session.scalars(claim))


async def _webhook_targets(session: AsyncSession, settings: Settings,
                           messages: Sequence[OutboxMessage]) -> dict[uuid.UUID, WebhookTarget]:
    ids = {m.webhook_endpoint_id for m in messages if m.webhook_endpoint_id is not None}
    if not ids:
        return {}
    box = secret_box(settings)
    endpoints = await session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.id.in_(ids)))
    return {e.id: WebhookTarget(url=e.url, secret=endpoint_secret(box, e), active=e.active) for e in endpoints}


@asynccontextmanager
async def _channels(settings: Settings, tenant: Tenant,
                    targets: dict[uuid.UUID, WebhookTarget]) -> AsyncIterator[dict[str, Channel]]:
    """The tenant's channels for one batch: replies to its support address, texts into its own SMS file."""
    channels: dict[str, Channel] = {"sms": SmsChannel(file_gateway_for(settings.data_dir, tenant.slug))}
    async with AsyncExitStack() as stack:
        channels["email"] = await stack.enter_async_context(SmtpChannel(
            SmtpServer.from_url(settings.smtp_url), settings.mail_from,
            reply_to=(tenant.branding or {}).get("support_email")))
        if targets:
            channels["webhook"] = await stack.enter_async_context(
                WebhookChannel(targets, allow_private=settings.webhook_private_targets))
        yield channels


async def _send_all(channels: dict[str, Channel], messages: Sequence[OutboxMessage],
                    seconds: float) -> list[DeliveryError | None]:
    """One attempt per message, a few at a time, all abandoned at the same deadline; None means delivered."""
    gate = asyncio.Semaphore(CONCURRENT_SENDS)
    deadline = asyncio.get_running_loop().time() + seconds

    async def attempt(message: OutboxMessage) -> DeliveryError | None:
        channel = channels.get(message.channel)
        if channel is None:
            return PermanentError(f"no {message.channel} channel for this message")
        try:
            async with asyncio.timeout_at(deadline), gate:
                await channel.send(message)
        except DeliveryError as exc:
            return exc
        except TimeoutError:
            return RetryableError(f"no answer within {seconds:g} s")
        except Exception as exc:  # a channel's bug must not stop the batch; the message is retried
            log.exception("outbox message %s: %s channel failed unexpectedly", message.id, message.channel)
            return RetryableError(f"{type(exc).__name__}: {exc}")
        return None

    return list(await asyncio.gather(*(attempt(m) for m in messages)))


async def _record(session: AsyncSession, message: OutboxMessage, error: DeliveryError | None, now: datetime) -> None:
    values: dict[str, object] = {"lease_until": None}
    if error is None:
        values.update(status="delivered", delivered_at=now, last_error="")
    elif isinstance(error, PermanentError) or message.attempts >= MAX_ATTEMPTS:
        values.update(status="failed", last_error=str(error)[:2000])
        log.warning("outbox message %s failed after %d attempts: %s", message.id, message.attempts, error)
    else:
        values.update(next_attempt_at=now + retry_delay(message.attempts), last_error=str(error)[:2000])
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == "pending",
               OutboxMessage.attempts == message.attempts)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
