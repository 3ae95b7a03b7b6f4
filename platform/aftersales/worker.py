"""The worker: every registered job, for every active tenant, again and again.

A **job** is ``async def job(runtime, tenant_id, now) -> int``: it does the tenant's work that is due at
``now`` and returns how many items it handled. Jobs must be safe to run in several workers at once (claim work
with ``FOR UPDATE SKIP LOCKED`` or a conditional update, as :mod:`aftersales.outbox.delivery` does) and safe
to be killed at any point (a lease or a transaction, never a half-written state). To add one, append it to
:data:`JOBS`; its function name is its name in :func:`run_once`'s counts and in the log.

``aftersales worker`` runs the loop in its own process (several of them on PostgreSQL); in the embedded
default (SQLite) the server runs it as a background task of the app (:func:`embedded_worker`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.dispatch.planning import fix_due_plans
from aftersales.errors import PluginFailed, VerticalUnavailable
from aftersales.identity.rate_limits import forget_idle_counters
from aftersales.observability.metrics import WORKER_ITEMS, WORKER_PASSES
from aftersales.orders.followup import sweep_orders
from aftersales.orders.fulfilment.late import send_late_delivery_notices
from aftersales.outbox.delivery import BATCH, deliver_due
from aftersales.runtime import Runtime
from aftersales.service.clocks.escalation import sweep_breaches, warn_at_risk
from aftersales.service.followups.delivery import retry_failed_followups, send_due_followups
from aftersales.tenancy.models import Tenant

log = logging.getLogger(__name__)

Job = Callable[[Runtime, UUID, datetime], Awaitable[int]]

DEFAULT_INTERVAL_SECONDS = 5.0
MAX_BATCHES_PER_RUN = 20
"""Outbox batches per tenant per run, so one tenant's backlog does not hold up the others for long."""
STOP_GRACE_SECONDS = 10.0


async def deliver_outbox(runtime: Runtime, tenant_id: UUID, now: datetime) -> int:
    """Job: deliver the tenant's due outbox messages, batch after batch until a batch comes back short."""
    handled = 0
    for _ in range(MAX_BATCHES_PER_RUN):
        batch = await deliver_due(runtime, tenant_id, now, BATCH)
        handled += batch
        if batch < BATCH:
            break
    return handled


async def forget_rate_counters(runtime: Runtime, tenant_id: UUID, now: datetime) -> int:
    """Job: delete the tenant's rate counters of clients not seen for days (see
    :data:`aftersales.identity.rate_limits.FORGOTTEN_AFTER`)."""
    async with runtime.db.transaction(tenant_id) as session:
        return await forget_idle_counters(session, now=now)


JOBS: list[Job] = [sweep_breaches, warn_at_risk, retry_failed_followups, send_due_followups, sweep_orders,
                   send_late_delivery_notices, fix_due_plans, deliver_outbox, forget_rate_counters]
"""In order: jobs that write messages (breaches, clocks at risk, follow-ups, orders, late deliveries, the fixed
day plans of technicians) run before delivery, so one pass sends them; housekeeping last."""
"""What the worker runs for each active tenant on every pass, in this order."""


async def active_tenants(runtime: Runtime) -> list[UUID]:
    return [tenant_id for tenant_id, _, _ in await _active_tenants(runtime)]


async def _active_tenants(runtime: Runtime) -> list[tuple[UUID, str, str]]:
    """Id, slug and vertical of every active tenant."""
    async with runtime.db.platform_session() as session:
        rows = await session.execute(select(Tenant.id, Tenant.slug, Tenant.vertical)
                                     .where(Tenant.status == "active").order_by(Tenant.id))
        return [(tenant_id, slug, vertical) for tenant_id, slug, vertical in rows.all()]


async def run_once(runtime: Runtime, now: datetime) -> dict[str, int]:
    """One pass: every job for every active tenant. A job that raises is logged and the pass goes on; a tenant
    whose plugin rules fail (a disabled vertical, a failing hook) is logged once per pass, in one line naming
    the reason and the jobs it held up, with no traceback (a failing hook call was logged with its error id);
    its jobs that need no hook (the outbox) still run.

    Counted in ``aftersales_worker_passes`` and ``aftersales_worker_items`` (:mod:`aftersales.observability`).

    :return: per job name, how many items it handled across the tenants.
    """
    counts = {job.__name__: 0 for job in JOBS}
    for tenant_id, slug, vertical in await _active_tenants(runtime):
        failing: dict[str, str] = {}
        unavailable = runtime.plugins.unavailable_reason(vertical)
        if unavailable is not None:
            failing["vertical"] = f"{vertical} is unavailable: {unavailable}"
        for job in JOBS:
            try:
                counts[job.__name__] += await job(runtime, tenant_id, now)
            except (PluginFailed, VerticalUnavailable) as exc:  # the tenant's rules fail: known, logged by the guard
                failing[job.__name__] = exc.detail
            except Exception:  # one tenant's failure must not starve the others
                log.exception("worker job %s failed for tenant %s", job.__name__, tenant_id)
        if failing:
            log.warning("tenant %s: its plugin rules are failing; %s", slug,
                        "; ".join(f"{what}: {why}" for what, why in failing.items()),
                        extra={"tenant": slug, "tenant_id": str(tenant_id), "failing": failing})
    WORKER_PASSES.labels("completed").inc()
    for name, handled in counts.items():
        WORKER_ITEMS.labels(name).inc(handled)
    return counts


async def run_forever(runtime: Runtime, stop: asyncio.Event, interval: float = DEFAULT_INTERVAL_SECONDS) -> None:
    """Pass after pass until ``stop`` is set; waits ``interval`` seconds after a pass that found nothing to do.

    A pass in progress when ``stop`` is set finishes first (each attempt is bounded by the outbox lease).
    """
    while not stop.is_set():
        try:
            counts = await run_once(runtime, utcnow())
        except Exception:  # the database is unreachable, say: try again on the next pass
            WORKER_PASSES.labels("failed").inc()
            log.exception("worker pass failed")
            counts = {}
        if any(counts.values()):
            log.info("worker pass: %s", ", ".join(f"{name} {n}" for name, n in counts.items() if n))
            continue
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)


@asynccontextmanager
async def embedded_worker(app: Any) -> AsyncIterator[None]:
    """Litestar lifespan hook: run the worker loop inside the server while it serves, when the settings say
    so (``AFTERSALES_EMBEDDED_WORKER``; on by default with SQLite), and stop it gracefully at shutdown."""
    runtime: Runtime = app.state.runtime
    if not runtime.settings.runs_embedded_worker:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(run_forever(runtime, stop), name="aftersales-embedded-worker")
    log.info("embedded worker started")
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, STOP_GRACE_SECONDS)
        except TimeoutError:
            log.warning("embedded worker did not stop within %g s; its messages are redelivered after their lease",
                        STOP_GRACE_SECONDS)
