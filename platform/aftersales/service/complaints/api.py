"""Complaint endpoints: file (any channel), list (the record against an employee or a store, with counts),
look up with the response clock, answer with the cause and an apology, escalate to management."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import PermissionDenied
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.http.paging import DEFAULT_LIMIT, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.customers import CustomerDetails
from aftersales.identity.guards import actor, current_principal, requires_scope
from aftersales.identity.scopes import REQUESTS_READ, REQUESTS_WRITE
from aftersales.service.clocks import services as clocks
from aftersales.service.complaints import services as service
from aftersales.service.complaints.schemas import (
    AnswerIn,
    ComplaintDetailOut,
    ComplaintIn,
    ComplaintPage,
    EscalateIn,
    Subject,
    complaint_detail_out,
    complaint_out,
    counts_out,
)
from aftersales.service.models import Complaint
from aftersales.service.requests.services import get_request
from aftersales.tenancy.current import CurrentTenant

ANSWERING_ROLES = frozenset({"agent", "admin"})


def agents_and_admins(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: complaints are answered and escalated by call-centre agents and admins, not by technicians,
    finance or API clients."""
    if not ANSWERING_ROLES & set(current_principal(connection).roles):
        raise PermissionDenied("complaints are answered and escalated by agents and admins")


class ComplaintController(Controller):
    """A tenant's complaints, addressed by complaint id; lists newest first."""

    path = "/api/v1/complaints"
    tags = ("service",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="fileComplaint", guards=[requires_scope(REQUESTS_WRITE)])
    async def file(self, request: Request[Any, Any, Any], data: JSONBody[ComplaintIn], session: SessionDep,
                   tenant: TenantDep) -> ComplaintDetailOut:
        """File a complaint for a registration's owner or a customer (found or created by phone or e-mail); one
        about staff behaviour or handling time goes to management at once."""
        customer = data.customer
        new = service.NewComplaint(
            channel=data.channel, subject=data.subject, summary=data.summary, registration_id=data.registration_id,
            customer=CustomerDetails(name=customer.name, phone=customer.phone, email=customer.email) if customer else None,
            about_request_id=data.about_request_id, staff_id=data.staff_id, contractor=data.contractor,
            site_country=data.site_country, site_latitude=data.site_latitude, site_longitude=data.site_longitude,
        )
        now = utcnow()
        filed = await service.file_complaint(session, tenant, new, actor=actor(request), now=now)
        return await _detail(session, tenant, filed)

    @get("/", operation_id="listComplaints", guards=[requires_scope(REQUESTS_READ)])
    async def list_complaints(self, session: SessionDep,
                              subject: FromQuery[Subject | None] = None,
                              answered: FromQuery[bool | None] = None,
                              escalated: FromQuery[bool | None] = None,
                              staff_id: FromQuery[UUID | None] = None,
                              contractor: Annotated[str | None, QueryParameter(max_length=400)] = None,
                              limit: FromQuery[int] = DEFAULT_LIMIT,
                              cursor: FromQuery[str | None] = None) -> ComplaintPage:
        """Complaints newest first; ``staff_id`` or ``contractor`` gives the record against an employee or a
        contractor/store, and ``counts`` covers every complaint the filters match. Pass ``next_cursor`` back as
        ``cursor``."""
        which = service.ComplaintFilter(subject=subject, answered=answered, escalated=escalated, staff_id=staff_id,
                                        contractor=contractor)
        before = None
        if cursor is not None:
            (key,) = decode_cursor(cursor, 1)
            try:
                before = UUID(str(key))
            except ValueError:
                raise invalid_cursor() from None
        rows = await service.list_complaints(session, which, limit=check_limit(limit) + 1, before=before)
        page, next_cursor = split_page(rows, limit, lambda row: (str(row[0].id),))
        return ComplaintPage(items=[complaint_out(c, r) for c, r in page], next_cursor=next_cursor,
                             counts=counts_out(await service.count_complaints(session, which)))

    @get("/{complaint_id:uuid}", operation_id="getComplaint", guards=[requires_scope(REQUESTS_READ)])
    async def get_complaint(self, complaint_id: FromPath[UUID], session: SessionDep,
                            tenant: TenantDep) -> ComplaintDetailOut:
        """One complaint with its request's clocks (the response clock: due when, on track, breached or met)."""
        return await _detail(session, tenant, await service.get_complaint(session, complaint_id))

    @post("/{complaint_id:uuid}/answer", operation_id="answerComplaint", status_code=200,
          guards=[requires_scope(REQUESTS_WRITE), agents_and_admins])
    async def answer(self, request: Request[Any, Any, Any], complaint_id: FromPath[UUID], data: JSONBody[AnswerIn],
                     session: SessionDep, tenant: TenantDep) -> ComplaintDetailOut:
        """Record the cause and the apology and send them to the customer; the response clock is met. A
        complaint is answered once (409 after that)."""
        answered = await service.answer_complaint(session, tenant, complaint_id, cause=data.cause,
                                                  apology=data.apology, channel=data.channel, actor=actor(request),
                                                  now=utcnow())
        return await _detail(session, tenant, answered)

    @post("/{complaint_id:uuid}/escalation", operation_id="escalateComplaint", status_code=200,
          guards=[requires_scope(REQUESTS_WRITE), agents_and_admins])
    async def escalate(self, request: Request[Any, Any, Any], complaint_id: FromPath[UUID],
                       data: JSONBody[EscalateIn], session: SessionDep, tenant: TenantDep) -> ComplaintDetailOut:
        """Escalate a complaint to management by hand: its admins are e-mailed. Once only (409 after that)."""
        escalated = await service.escalate_complaint(session, tenant, complaint_id, actor=actor(request),
                                                     note=data.note, now=utcnow())
        return await _detail(session, tenant, escalated)


async def _detail(session: AsyncSession, tenant: CurrentTenant, complaint: Complaint) -> ComplaintDetailOut:
    request = await get_request(session, complaint.request_id)
    return complaint_detail_out(complaint, request, await clocks.clocks_of(session, request.id), tenant.calendar,
                                utcnow())
