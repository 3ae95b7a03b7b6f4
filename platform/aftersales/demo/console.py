"""Demo data for the staff console's queue: a tenant's requests in every SLA state — breached, at risk, paused
(on hold, waiting for the customer) and on track — so the queue's colours, filters and sorting can be clicked
through after ``make demo``. Idempotent: a tenant that already has the demo queue is left alone.

A request's promises are shaped by how much of each clock's budget is used (:func:`use_clocks`), in the clock's
own measure, so the state shown is the one :func:`aftersales.service.clocks.services.view` computes on any day of the
week (a request merely opened "six business days ago" would be on track over a weekend and at risk on Monday).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.runtime import Runtime
from aftersales.service.clocks.services import clocks_of
from aftersales.service.models import ServiceRequest
from aftersales.service.requests import services as service
from aftersales.tenancy.current import CurrentTenant, bind_tenant
from aftersales.tenancy.models import Tenant

DEMO_ACTOR = "demo:seed"
SUMMARY_PREFIX = "Demo queue: "


@dataclass(frozen=True)
class QueueExample:
    """One demo request: whose, what, and how far along its promises are."""

    sla: str
    """``breached``, ``at_risk``, ``paused`` or ``on_track``."""
    customer: str
    email: str
    summary: str
    days_old: int


EXAMPLES = (
    QueueExample("breached", "Demo Customer Breached", "queue-breached", "the screen stays black", 12),
    QueueExample("at_risk", "Demo Customer AtRisk", "queue-at-risk", "the battery drains in an hour", 6),
    QueueExample("paused", "Demo Customer Waiting", "queue-paused", "waiting for the purchase invoice", 3),
    QueueExample("on_track", "Demo Customer OnTrack", "queue-on-track", "the speaker crackles", 0),
)
USED = {"breached": 1.2, "at_risk": 0.9, "paused": 0.3, "on_track": 0.05}
"""The share of each live clock's budget used, per SLA state."""


async def use_clocks(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest, fraction: float,
                     now: datetime) -> None:
    """Make every running clock of ``request`` have used ``fraction`` of its budget by ``now`` (over 1: overdue
    by the rest), due when the rest runs out on the clock's own measure."""
    calendar = tenant.calendar
    for clock in await clocks_of(session, request.id):
        if clock.running_since is None or clock.budget_seconds is None or clock.met_at is not None:
            continue
        clock.used_seconds = int(clock.budget_seconds * fraction)
        clock.running_since = now
        left = timedelta(seconds=clock.budget_seconds - clock.used_seconds)
        if left <= timedelta(0) or clock.clock == "calendar":
            clock.due_at = now + left
        else:
            clock.due_at = calendar.add_business_hours(now, left)
    await session.flush()


async def open_example(session: AsyncSession, tenant: CurrentTenant, example: QueueExample, *, now: datetime,
                       email_domain: str, actor: str = DEMO_ACTOR) -> ServiceRequest:
    """Open the example's repair request and bring its promises to the example's SLA state."""
    request = await service.open_request(session, tenant, service.NewRequest(
        kind="repair", channel="phone", summary=SUMMARY_PREFIX + example.summary,
        customer=CustomerDetails(name=example.customer, email=f"{example.email}@{email_domain}"),
    ), actor=actor, now=now)
    request.opened_at = now - timedelta(days=example.days_old)
    await use_clocks(session, tenant, request, USED[example.sla], now)
    if example.sla == "paused":
        await service.put_on_hold(session, tenant, request.id, "waiting_for_customer", actor=actor,
                                  note="asked the customer for the purchase invoice", now=now)
    return request


async def seed_demo_console(runtime: Runtime, tenant: Tenant) -> int:
    """Give ``tenant`` the demo queue; returns how many requests were opened (0 when it had them already)."""
    current = bind_tenant(tenant, runtime.plugins)
    async with runtime.db.transaction(tenant.id) as session:
        seeded = await session.scalar(select(ServiceRequest.id).where(
            ServiceRequest.summary.startswith(SUMMARY_PREFIX)).limit(1))
        if seeded is not None:
            return 0
        now = utcnow()
        for example in EXAMPLES:
            await open_example(session, current, example, now=now, email_domain=f"{tenant.slug}-demo.com")
    return len(EXAMPLES)
