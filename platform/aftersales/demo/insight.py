"""Demo history for the console dashboard: ten weeks of requests through the real services, so the charts show
a trend after ``make demo`` — repairs kept and broken promises, some sent back into repair, surveys answered.

Idempotent: a tenant that already has a request ended more than a week ago is left alone. The pattern is fixed
(no randomness), so two demos look alike.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.runtime import Runtime
from aftersales.service.clocks.services import clocks_of
from aftersales.service.followups.models import FollowUp
from aftersales.service.followups.services import Answers, record_answers
from aftersales.service.models import ServiceRequest
from aftersales.service.requests import services as requests
from aftersales.service.states import RequestState
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant

WEEKS = 10
PER_WEEK = 4
SCORES = (5, 4, 3, 5, 4, 2, 5, 4)
ACTOR = "demo:seed"
S = RequestState


async def seed_demo_insight(runtime: Runtime, tenant: Tenant) -> int:
    """Give ``tenant`` its dashboard history; returns how many requests were added (0 when it had some)."""
    current = bind_tenant(tenant, runtime.plugins)
    now = utcnow()
    async with runtime.db.transaction(tenant.id) as session:
        if await session.scalar(select(func.count()).select_from(ServiceRequest).where(
                ServiceRequest.closed_at < now - timedelta(weeks=1))):
            return 0
    added = 0
    for week in range(WEEKS, 0, -1):
        for n in range(PER_WEEK):
            opened = now - timedelta(weeks=week, hours=n * 5)
            late = (week + n) % 3 == 0  # about a third of the promises broken
            sent_back = (week + n) % 5 == 0
            async with runtime.db.transaction(tenant.id) as session:
                request = await requests.open_request(session, current, requests.NewRequest(
                    kind="repair", channel="walk_in", summary="Demo: the unit restarts by itself",
                    customer=CustomerDetails(name=f"Demo Customer {n + 1}", phone=f"+1 202 555 01{week:02d}"),
                ), actor=ACTOR, now=opened)
                due = min((c.due_at for c in await clocks_of(session, request.id) if c.due_at), default=None)
                ready_at = (due + timedelta(hours=2)) if late and due else opened + timedelta(days=1)
                ready_at = min(ready_at, now - timedelta(hours=1))
                steps = [(S.DIAGNOSING, opened + timedelta(hours=1)), (S.IN_REPAIR, opened + timedelta(hours=2))]
                if sent_back:
                    steps += [(S.READY, opened + timedelta(hours=3)), (S.IN_REPAIR, opened + timedelta(hours=4))]
                steps.append((S.READY, ready_at))
                if week > 1 or n < 2:  # the last week keeps some work open
                    steps.append((S.RETURNED, ready_at + timedelta(minutes=30)))
                for state, at in steps:
                    await requests.move_request(session, current, request.id, state, actor=ACTOR, note="", now=at)
                survey = await session.scalar(select(FollowUp).where(FollowUp.request_id == request.id,
                                                                     FollowUp.plan_name == "satisfaction_survey"))
                answered = ready_at + timedelta(days=1)
                if survey is not None and answered < now:
                    await record_answers(session, current, survey, Answers(csat=SCORES[(week + n) % len(SCORES)]),
                                         actor=ACTOR, channel="portal", now=answered)
            added += 1
    return added
