"""Service request endpoints: open, look up, list, move, assign, annotate, hold, record contact and arrival,
read the clocks, the timeline and the intake receipt."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy import exists, or_, select

from aftersales.db.base import utcnow
from aftersales.errors import FieldError, InvalidInput
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.http.paging import DEFAULT_LIMIT, Page, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.customers import CustomerDetails
from aftersales.identity.guards import actor, requires_scope
from aftersales.identity.scopes import REQUESTS_READ, REQUESTS_WRITE
from aftersales.service.clocks import services as clocks
from aftersales.service.models import ServiceRequest, SlaClock
from aftersales.service.requests import receipts
from aftersales.service.requests import services as service
from aftersales.service.requests.schemas import (
    AssignIn,
    EventOut,
    HoldIn,
    HoldOut,
    MoveIn,
    NoteIn,
    OptionalNoteIn,
    ReceiptOut,
    RequestDetailOut,
    RequestIn,
    RequestOut,
    detail_out,
    event_out,
    hold_out,
    request_out,
)
from aftersales.service.states import RequestState
from aftersales.tenancy.current import CurrentTenant


class ServiceRequestController(Controller):
    """A tenant's service requests, addressed by id; lists newest first."""

    path = "/api/v1/requests"
    tags = ["service"]
    dependencies = TOKEN_TENANT

    @post("/", operation_id="openServiceRequest", guards=[requires_scope(REQUESTS_WRITE)])
    async def open(self, request: Request[Any, Any, Any], data: JSONBody[RequestIn], session: SessionDep,
                   tenant: TenantDep) -> RequestOut:
        """Open a request for a registration's owner or for a customer (found or created by phone or e-mail)."""
        if data.kind == "complaint":
            raise InvalidInput("file complaints as complaints", [FieldError(
                "kind", "a complaint is filed at /api/v1/complaints/, with its subject and whom it is against")])
        customer = data.customer
        new = service.NewRequest(
            kind=data.kind, channel=data.channel, summary=data.summary, registration_id=data.registration_id,
            claim_id=data.claim_id,
            customer=CustomerDetails(name=customer.name, phone=customer.phone, email=customer.email) if customer else None,
            site_latitude=data.site_latitude, site_longitude=data.site_longitude, site_country=data.site_country,
        )
        now = utcnow()
        opened = await service.open_request(session, tenant, new, actor=actor(request), now=now)
        return await _detail(session, tenant, opened, now)

    @get("/", operation_id="listServiceRequests", guards=[requires_scope(REQUESTS_READ)])
    async def list_requests(self, session: SessionDep,
                            in_state: Annotated[RequestState | None, QueryParameter(name="state")] = None,
                            overdue: FromQuery[bool] = False,
                            limit: FromQuery[int] = DEFAULT_LIMIT,
                            cursor: FromQuery[str | None] = None) -> Page[RequestOut]:
        """Requests newest first, optionally in one state or only those with an overdue clock (``overdue=true``);
        pass ``next_cursor`` back as ``cursor``."""
        query = select(ServiceRequest).order_by(ServiceRequest.number.desc()).limit(check_limit(limit) + 1)
        if in_state is not None:
            query = query.where(ServiceRequest.state == in_state.value)
        if overdue:
            query = query.where(exists().where(
                SlaClock.request_id == ServiceRequest.id, SlaClock.met_at.is_(None),
                or_(SlaClock.breached_at.is_not(None), SlaClock.due_at <= utcnow())))
        if cursor is not None:
            (before,) = decode_cursor(cursor, 1)
            if not isinstance(before, int):
                raise invalid_cursor()
            query = query.where(ServiceRequest.number < before)
        rows, next_cursor = split_page(list(await session.scalars(query)), limit, lambda r: (r.number,))
        return Page[RequestOut](items=[request_out(r) for r in rows], next_cursor=next_cursor)

    @get("/{request_id:uuid}", operation_id="getServiceRequest", guards=[requires_scope(REQUESTS_READ)])
    async def get_request(self, request_id: FromPath[UUID], session: SessionDep, tenant: TenantDep) -> RequestDetailOut:
        """One request with its clocks: due when, time left, on track / at risk / breached / met."""
        return await _detail(session, tenant, await service.get_request(session, request_id), utcnow())

    @post("/{request_id:uuid}/moves", operation_id="moveServiceRequest", status_code=200,
          guards=[requires_scope(REQUESTS_WRITE)])
    async def move(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], data: JSONBody[MoveIn],
                   session: SessionDep, tenant: TenantDep) -> RequestDetailOut:
        """Move the request to its next state; a move its life does not allow is refused (409) with the moves
        that are allowed. Clocks start, stop, pause and resume with the move."""
        now = utcnow()
        moved = await service.move_request(session, tenant, request_id, data.to, actor=actor(request),
                                           note=data.note, now=now)
        return await _detail(session, tenant, moved, now)

    @post("/{request_id:uuid}/assignment", operation_id="assignServiceRequest", status_code=200,
          guards=[requires_scope(REQUESTS_WRITE)])
    async def assign(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], data: JSONBody[AssignIn],
                     session: SessionDep) -> RequestOut:
        """Give the request to a member of staff."""
        assigned = await service.assign_request(session, request_id, data.assignee_id, actor=actor(request),
                                                note=data.note, now=utcnow())
        return request_out(assigned)

    @post("/{request_id:uuid}/notes", operation_id="annotateServiceRequest", guards=[requires_scope(REQUESTS_WRITE)])
    async def note(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], data: JSONBody[NoteIn],
                   session: SessionDep) -> EventOut:
        """Add a note to the timeline."""
        return event_out(await service.add_note(session, request_id, actor=actor(request), note=data.note,
                                                now=utcnow()))

    @get("/{request_id:uuid}/timeline", operation_id="getServiceRequestTimeline",
         guards=[requires_scope(REQUESTS_READ)])
    async def timeline(self, request_id: FromPath[UUID], session: SessionDep) -> list[EventOut]:
        """Every event of the request, oldest first; never rewritten."""
        return [event_out(e) for e in await service.timeline(session, request_id)]

    @post("/{request_id:uuid}/contacts", operation_id="recordCustomerContact", guards=[requires_scope(REQUESTS_WRITE)])
    async def contact(self, request: Request[Any, Any, Any], request_id: FromPath[UUID],
                      data: JSONBody[OptionalNoteIn], session: SessionDep, tenant: TenantDep) -> EventOut:
        """Record that the customer was contacted: first-contact and reply clocks are met."""
        return event_out(await service.record_milestone(session, tenant, request_id, "contacted", actor=actor(request),
                                                        note=data.note, now=utcnow()))

    @post("/{request_id:uuid}/arrivals", operation_id="recordTechnicianArrival", guards=[requires_scope(REQUESTS_WRITE)])
    async def arrival(self, request: Request[Any, Any, Any], request_id: FromPath[UUID],
                      data: JSONBody[OptionalNoteIn], session: SessionDep, tenant: TenantDep) -> EventOut:
        """Record that the technician arrived on site: on-site clocks are met."""
        return event_out(await service.record_milestone(session, tenant, request_id, "on_site", actor=actor(request),
                                                        note=data.note, now=utcnow()))

    @post("/{request_id:uuid}/holds", operation_id="holdServiceRequest", guards=[requires_scope(REQUESTS_WRITE)])
    async def hold(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], data: JSONBody[HoldIn],
                   session: SessionDep, tenant: TenantDep) -> HoldOut:
        """Put the request on hold with a reason (waiting for the customer …); the clocks that pause for it stop."""
        return hold_out(await service.put_on_hold(session, tenant, request_id, data.reason, actor=actor(request),
                                                  note=data.note, now=utcnow()))

    @get("/{request_id:uuid}/holds", operation_id="listServiceRequestHolds", guards=[requires_scope(REQUESTS_READ)])
    async def holds(self, request_id: FromPath[UUID], session: SessionDep) -> list[HoldOut]:
        """Every hold of the request, oldest first, open ones without ``ended_at``."""
        return [hold_out(h) for h in await service.holds_of(session, request_id)]

    @post("/{request_id:uuid}/holds/{hold_id:uuid}/release", operation_id="releaseServiceRequestHold",
          status_code=200, guards=[requires_scope(REQUESTS_WRITE)])
    async def release(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], hold_id: FromPath[UUID],
                      data: JSONBody[OptionalNoteIn], session: SessionDep, tenant: TenantDep) -> HoldOut:
        """End a hold: paused clocks run again, due later by the time they stood still."""
        return hold_out(await service.release_hold(session, tenant, request_id, hold_id, actor=actor(request),
                                                   note=data.note, now=utcnow()))

    @get("/{request_id:uuid}/receipt", operation_id="getServiceRequestReceipt", guards=[requires_scope(REQUESTS_READ)])
    async def receipt(self, request_id: FromPath[UUID], session: SessionDep, tenant: TenantDep) -> ReceiptOut:
        """The intake receipt: the request number and the promised result date (Mehr: 7 business days)."""
        return await receipts.receipt_of(session, tenant, await service.get_request(session, request_id))


async def _detail(session: Any, tenant: CurrentTenant, request: ServiceRequest, now: Any) -> RequestDetailOut:
    return detail_out(request, await clocks.clocks_of(session, request.id), tenant.calendar, now)
