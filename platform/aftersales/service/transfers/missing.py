"""The missing unit alert (a worker job): a transfer not received by its expected time is reported once — marked
on the transfer, put on the request's timeline, emitted as ``unit.missing`` and e-mailed to the staff who handle
the request (its assignee; without one, the tenant's active admins, else its support address, as a complaint's
escalation finds management).

Needs no hook: the expected time was worked out when the unit was sent and stored with the leg. A leg received
before the sweep runs is never reported, even when the sweep runs after its expected time. On PostgreSQL the legs
are locked ``FOR UPDATE SKIP LOCKED``, so two workers never report the same one; the e-mails' outbox keys would
refuse a second report anyway.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.i18n.rendering import reader_format, render
from aftersales.identity.models import StaffUser
from aftersales.outbox.events import UnitMissing
from aftersales.outbox.messages import Message, enqueue
from aftersales.outbox.webhooks import emit
from aftersales.runtime import Runtime
from aftersales.service.models import RequestEvent, ServicePoint, ServiceRequest, UnitTransfer
from aftersales.tenancy.current import CurrentTenant, active_tenant

_ = messages(CORE_DOMAIN)
WORKER = "transfer-worker"
SWEEP_LIMIT = 200
"""At most this many legs reported per tenant in one pass; the next pass takes the rest."""


async def mark_missing_units(runtime: Runtime, tenant_id: UUID, now: datetime) -> int:
    """Report every leg of ``tenant_id`` on its way past its expected time at ``now`` (once each); returns how many."""
    tenant = await active_tenant(runtime.db, runtime.plugins, tenant_id)
    if tenant is None:
        return 0
    async with runtime.db.transaction(tenant_id) as session:
        overdue = list((await session.scalars(
            select(UnitTransfer)
            .where(UnitTransfer.received_at.is_(None), UnitTransfer.missing_at.is_(None),
                   UnitTransfer.expected_by < now)
            .order_by(UnitTransfer.expected_by, UnitTransfer.id).limit(SWEEP_LIMIT)
            .with_for_update(skip_locked=True))).all())
        for transfer in overdue:
            await report_missing(session, tenant, transfer, now)
    return len(overdue)


async def report_missing(session: AsyncSession, tenant: CurrentTenant, transfer: UnitTransfer, now: datetime) -> None:
    """Mark ``transfer`` missing, on the timeline, as ``unit.missing`` and by e-mail to whoever handles it."""
    request = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == transfer.request_id))
    assert request is not None
    points = {p.id: p.name for p in await session.scalars(
        select(ServicePoint).where(ServicePoint.id.in_({transfer.from_point_id, transfer.to_point_id})))}
    zone = tenant.calendar.zone
    said = _("missing: sent from {origin} to {point} on {sent} (waybill {waybill}, {carrier}) and not received by "
             "{expected}", origin=points[transfer.from_point_id], point=points[transfer.to_point_id],
             sent=transfer.sent_at.astimezone(zone).date(), waybill=transfer.waybill, carrier=transfer.carrier,
             expected=transfer.expected_by.astimezone(zone).date())
    transfer.missing_at = now
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=WORKER, kind="unit_missing", note=said))
    reader = reader_format(tenant.record.default_locale)
    subject = render(_("Unit missing: request #{number}", number=request.number), reader)
    for who, email in await handlers(session, tenant, request):
        await enqueue(session, Message(
            channel="email", recipient=email, event=UnitMissing.name, key=f"unit-missing:{transfer.id}:{who}",
            subject=subject, body=f"{subject}\n{render(said, reader)}\n{request.summary}",
            payload={"transfer_id": str(transfer.id), "request_id": str(request.id), "number": request.number},
        ), now=now)
    await session.flush()
    await emit(session, UnitMissing(
        transfer_id=transfer.id, request_id=request.id, number=request.number, from_point_id=transfer.from_point_id,
        to_point_id=transfer.to_point_id, waybill=transfer.waybill, carrier=transfer.carrier,
        sent_at=transfer.sent_at, expected_by=transfer.expected_by, reported_at=now), key=transfer.id, now=now)


async def handlers(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest) -> list[tuple[str, str]]:
    """Who is told about the request's unit, as (key, e-mail): its assignee when active; else the tenant's active
    admins; else its support address; else nobody."""
    staff = list((await session.scalars(select(StaffUser).where(StaffUser.active.is_(True))
                                        .order_by(StaffUser.created_at, StaffUser.id))).all())
    assignee = next((s for s in staff if s.id == request.assignee_id), None)
    if assignee is not None:
        return [(str(assignee.id), assignee.email)]
    admins = [(str(s.id), s.email) for s in staff if "admin" in s.roles]
    support = tenant.record.branding.get("support_email")
    return admins or ([("support", support)] if support else [])
