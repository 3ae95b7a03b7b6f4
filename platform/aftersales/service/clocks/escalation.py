"""Escalation: finding the clocks that are due and acting on each breach exactly once.

The worker calls :func:`sweep_breaches` for each active tenant. Due clocks are found through the partial index
``ix_sla_clocks_due`` (running, unmet, unhandled clocks by due time), so a sweep reads only what is due however
many requests are open. On PostgreSQL the rows are locked ``FOR UPDATE SKIP LOCKED``, so workers sweeping at
the same time take different clocks; on every database the action and the ``breach_handled_at`` mark commit in
one transaction, and the mark is claimed with a conditional UPDATE, so a breach is acted on once even if two
sweeps read the same clock.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.values import ResolutionContext, ResolutionOption
from aftersales.i18n.rendering import reader_format, render
from aftersales.identity.models import Customer, StaffUser
from aftersales.outbox.events import SlaAtRisk, SlaBreached
from aftersales.outbox.messages import Message, enqueue
from aftersales.outbox.webhooks import emit
from aftersales.runtime import Runtime
from aftersales.service.clocks.in_service import business_days_in_service
from aftersales.service.clocks.services import request_facts
from aftersales.service.models import AT_RISK_PENDING, RequestEvent, ServiceRequest, SlaClock
from aftersales.service.states import FINAL, RequestState
from aftersales.tenancy.current import CurrentTenant, active_tenant
from aftersales.warranty.models import Claim, Registration
from aftersales.warranty.registrations.claims import options_record

SWEEP_LIMIT = 200
"""At most this many breaches are acted on per tenant in one transaction."""
WORKER = "sla-worker"
MAX_PRIORITY = 2


async def sweep_breaches(runtime: Runtime, tenant_id: UUID, now: datetime, limit: int = SWEEP_LIMIT) -> int:
    """Act on every clock of ``tenant_id`` due by ``now`` (up to ``limit``); returns how many were acted on."""
    tenant = await active_tenant(runtime.db, runtime.plugins, tenant_id)
    if tenant is None:
        return 0
    async with runtime.db.transaction(tenant_id) as session:
        due = await due_clocks(session, now, limit)
        handled = 0
        for clock in due:
            if await _claim(session, clock, now):
                await act_on_breach(session, tenant, clock, now)
                handled += 1
    return handled


async def warn_at_risk(runtime: Runtime, tenant_id: UUID, now: datetime, limit: int = SWEEP_LIMIT) -> int:
    """Announce (``sla.at_risk``) every clock of ``tenant_id`` that reached its at-risk share by ``now`` and is
    neither met nor breached (up to ``limit``), once per clock; returns how many were announced.

    Needs no hook: the at-risk time is stored on the clock (``at_risk_at``) whenever it starts or resumes.
    """
    async with runtime.db.transaction(tenant_id) as session:
        clocks = list((await session.scalars(
            select(SlaClock)
            .where(text(AT_RISK_PENDING), SlaClock.at_risk_at <= now)
            .order_by(SlaClock.at_risk_at).limit(limit)
            .with_for_update(skip_locked=True)
        )).all())
        announced = 0
        for clock in clocks:
            claimed = await session.execute(
                update(SlaClock).where(SlaClock.id == clock.id, SlaClock.at_risk_handled_at.is_(None))
                .values(at_risk_handled_at=now).execution_options(synchronize_session=False))
            if claimed.rowcount != 1 or clock.due_at is None or clock.due_at <= now:  # type: ignore[attr-defined]
                continue  # another sweep had it, or it is breached already: the breach says more
            number = await session.scalar(select(ServiceRequest.number).where(ServiceRequest.id == clock.request_id))
            assert number is not None and clock.at_risk_at is not None
            await emit(session, SlaAtRisk(request_id=clock.request_id, number=number, clock=clock.name,
                                          at_risk_at=clock.at_risk_at, due_at=clock.due_at), key=clock.id, now=now)
            announced += 1
    return announced


async def due_clocks(session: AsyncSession, now: datetime, limit: int = SWEEP_LIMIT) -> list[SlaClock]:
    """The session's tenant's clocks due by ``now`` with their breach not yet handled, earliest first, locked
    (``SKIP LOCKED`` on PostgreSQL): the one query of a sweep, answered by the partial index ``ix_sla_clocks_due``."""
    return list((await session.scalars(
        select(SlaClock)
        .where(SlaClock.breach_handled_at.is_(None), SlaClock.met_at.is_(None), SlaClock.due_at.is_not(None),
               SlaClock.due_at <= now)
        .order_by(SlaClock.due_at).limit(limit)
        .with_for_update(skip_locked=True)
    )).all())


async def _claim(session: AsyncSession, clock: SlaClock, now: datetime) -> bool:
    """Mark the breach handled unless another sweep already did: the one place exactly-once is decided."""
    result = await session.execute(
        update(SlaClock).where(SlaClock.id == clock.id, SlaClock.breach_handled_at.is_(None))
        .values(breach_handled_at=now, breached_at=clock.due_at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    clock.breach_handled_at, clock.breached_at = now, clock.due_at
    return True


async def act_on_breach(session: AsyncSession, tenant: CurrentTenant, clock: SlaClock, now: datetime) -> None:
    """Run the clock's breach action and record it on the request's timeline."""
    request = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == clock.request_id))
    assert request is not None
    due = clock.due_at.astimezone(tenant.calendar.zone).strftime("%Y-%m-%d %H:%M") if clock.due_at else "?"
    outcome = await _ACTIONS[clock.on_breach](session, tenant, request, clock, now)
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=WORKER, kind="sla_breached",
                             note=f"the {clock.name} clock was due {due}; {outcome}"))
    await session.flush()
    await emit(session, SlaBreached(request_id=request.id, number=request.number, clock=clock.name,
                                    due_at=clock.breached_at or clock.due_at or now, action=clock.on_breach),
               key=clock.id, now=now)


async def _notify(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest, clock: SlaClock,
                  now: datetime) -> str:
    recipient = await _staff_recipient(session, tenant, request)
    if recipient is None:
        return "nobody to notify: the request has no assignee and the tenant no support e-mail"
    await enqueue(session, Message(
        channel="email", recipient=recipient, event="sla.breached", key=f"sla-breach:{clock.id}",
        subject=f"Request #{request.number}: {clock.name.replace('_', ' ')} overdue",
        body=(f"The {clock.name.replace('_', ' ')} promise on request #{request.number} ({request.kind}) is overdue.\n"
              f"{render(clock.reason, reader_format(tenant.record.default_locale))}\n\nSummary: {request.summary}"),
        payload={"request_id": str(request.id), "number": request.number, "clock": clock.name,
                 "due_at": clock.due_at.isoformat() if clock.due_at else None},
    ), now=now)
    return f"{recipient} notified"


async def _reassign(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest, clock: SlaClock,
                    now: datetime) -> str:
    managers = (await session.scalars(select(StaffUser).where(StaffUser.active.is_(True))
                                      .order_by(StaffUser.created_at))).all()
    managers = [m for m in managers if "admin" in m.roles and m.id != request.assignee_id]
    if not managers or RequestState(request.state) in FINAL:
        return "no manager to take it over; " + await _notify(session, tenant, request, clock, now)
    loads = {m.id: 0 for m in managers}
    for assignee in (await session.scalars(select(ServiceRequest.assignee_id).where(
            ServiceRequest.assignee_id.in_(list(loads)), ServiceRequest.closed_at.is_(None)))).all():
        loads[assignee] += 1
    chosen = min(managers, key=lambda m: loads[m.id])
    request.assignee_id = chosen.id
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=WORKER, kind="assigned",
                             note=f"reassigned to {chosen.name} after the {clock.name} clock was breached"))
    return f"reassigned to {chosen.name}; " + await _notify(session, tenant, request, clock, now)


async def _raise_priority(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest, clock: SlaClock,
                          now: datetime) -> str:
    before = request.priority
    request.priority = min(before + 1, MAX_PRIORITY)
    raised = f"priority raised from {before} to {request.priority}" if request.priority > before else \
        "priority already urgent"
    return f"{raised}; " + await _notify(session, tenant, request, clock, now)


async def _offer_replacement(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest, clock: SlaClock,
                             now: datetime) -> str:
    """Mehr: a unit unresolved after 30 business days is replaced, or refunded at the invoice price. The days are
    counted from the request's history (with its claim's other requests), holds excluded."""
    stays = [request]
    if request.claim_id is not None:
        stays = list(await session.scalars(select(ServiceRequest).where(ServiceRequest.claim_id == request.claim_id)))
    days = await business_days_in_service(session, tenant.calendar, stays, now)
    price = None
    if request.registration_id is not None:
        registration = await session.scalar(select(Registration).where(Registration.id == request.registration_id))
        if registration is not None and registration.price_minor is not None:
            price = Money(registration.price_minor, registration.currency)
    context = ResolutionContext(request=await request_facts(session, tenant, request),
                                business_days_in_service=days, invoice_price=price)
    options: list[ResolutionOption] = tenant.hooks.aftersales_resolution_options(tenant=tenant.context,
                                                                                 context=context) or []
    offered = "; ".join(_option_text(o) for o in options) or "no option"
    if request.claim_id is not None:
        claim = await session.scalar(select(Claim).where(Claim.id == request.claim_id))
        if claim is not None:
            claim.resolution_options = options_record(options)
    told = await _tell_customer(session, tenant, request, clock, offered, now)
    staff = await _notify(session, tenant, request, clock, now)
    return f"after {days} business days in service the customer is offered: {offered}; {told}; {staff}"


def _option_text(option: ResolutionOption) -> str:
    amount = f" of {option.amount.amount_minor} {option.amount.currency} (minor units)" if option.amount else ""
    return f"{option.kind}{amount}"


async def _tell_customer(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest, clock: SlaClock,
                         offered: str, now: datetime) -> str:
    customer = await session.scalar(select(Customer).where(Customer.id == request.customer_id))
    if customer is None or not (customer.phone or customer.email):
        return "the customer has no phone or e-mail to be told"
    channel, recipient = ("sms", customer.phone) if customer.phone else ("email", customer.email)
    company = tenant.record.branding.get("display_name") or tenant.record.name
    await enqueue(session, Message(
        channel=channel, recipient=recipient or "", event="request.replacement_offered",
        key=f"replacement-offer:{clock.id}", subject=f"{company}: request #{request.number}",
        body=(f"{company}: your unit on request #{request.number} qualifies for {offered}. "
              "We will call you to agree which you prefer."),
        payload={"request_id": str(request.id), "number": request.number, "options": offered},
    ), now=now)
    return f"customer told by {channel}"


async def _staff_recipient(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest) -> str | None:
    if request.assignee_id is not None:
        staff = await session.scalar(select(StaffUser).where(StaffUser.id == request.assignee_id))
        if staff is not None and staff.active:
            return staff.email
    return tenant.record.branding.get("support_email")


_ACTIONS = {
    "notify": _notify,
    "reassign": _reassign,
    "raise_priority": _raise_priority,
    "offer_replacement": _offer_replacement,
}
