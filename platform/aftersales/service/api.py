"""Service request endpoints: open, look up, list, move, assign, annotate, and read the timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.identity.guards import actor, requires_scope
from aftersales.identity.scopes import REQUESTS_READ, REQUESTS_WRITE
from aftersales.service import requests as service
from aftersales.service.models import RequestEvent, ServiceRequest
from aftersales.service.states import RequestState
from aftersales.warranty.registration_schemas import CustomerIn
from aftersales.web.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.web.paging import DEFAULT_LIMIT, Page, check_limit, decode_cursor, invalid_cursor, split_page

Kind = Literal["repair", "installation", "maintenance", "return", "exchange", "complaint", "inquiry"]
Channel = Literal["phone", "portal", "email", "walk_in", "social", "letter"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequestIn(_Body):
    kind: Kind
    channel: Channel
    summary: str = Field(max_length=4000)
    registration_id: UUID | None = None
    claim_id: UUID | None = None
    customer: CustomerIn | None = Field(default=None, description="Needed when no registration is given.")


class MoveIn(_Body):
    to: RequestState
    note: str = Field(default="", max_length=8000)


class AssignIn(_Body):
    assignee_id: UUID
    note: str = Field(default="", max_length=8000)


class NoteIn(_Body):
    note: str = Field(max_length=8000)


class RequestOut(BaseModel):
    id: UUID
    number: int
    kind: str
    channel: str
    state: str
    customer_id: UUID
    registration_id: UUID | None
    claim_id: UUID | None
    assignee_id: UUID | None
    summary: str
    opened_at: datetime
    closed_at: datetime | None


class EventOut(BaseModel):
    occurred_at: datetime
    actor: str
    kind: str
    from_state: str | None
    to_state: str | None
    note: str


def request_out(r: ServiceRequest) -> RequestOut:
    return RequestOut(id=r.id, number=r.number, kind=r.kind, channel=r.channel, state=r.state,
                      customer_id=r.customer_id, registration_id=r.registration_id, claim_id=r.claim_id,
                      assignee_id=r.assignee_id, summary=r.summary, opened_at=r.opened_at, closed_at=r.closed_at)


def event_out(e: RequestEvent) -> EventOut:
    return EventOut(occurred_at=e.occurred_at, actor=e.actor, kind=e.kind, from_state=e.from_state,
                    to_state=e.to_state, note=e.note)


class ServiceRequestController(Controller):
    """A tenant's service requests, addressed by id; lists newest first."""

    path = "/api/v1/requests"
    tags = ["service"]
    dependencies = TOKEN_TENANT

    @post("/", operation_id="openServiceRequest", guards=[requires_scope(REQUESTS_WRITE)])
    async def open(self, request: Request[Any, Any, Any], data: JSONBody[RequestIn], session: SessionDep,
                   tenant: TenantDep) -> RequestOut:
        """Open a request for a registration's owner or for a customer (found or created by phone or e-mail)."""
        customer = data.customer
        new = service.NewRequest(
            kind=data.kind, channel=data.channel, summary=data.summary, registration_id=data.registration_id,
            claim_id=data.claim_id,
            customer=CustomerDetails(name=customer.name, phone=customer.phone, email=customer.email) if customer else None,
        )
        return request_out(await service.open_request(session, tenant, new, actor=actor(request), now=utcnow()))

    @get("/", operation_id="listServiceRequests", guards=[requires_scope(REQUESTS_READ)])
    async def list_requests(self, session: SessionDep,
                            in_state: Annotated[RequestState | None, QueryParameter(name="state")] = None,
                            limit: FromQuery[int] = DEFAULT_LIMIT,
                            cursor: FromQuery[str | None] = None) -> Page[RequestOut]:
        """Requests newest first, optionally in one state; pass ``next_cursor`` back as ``cursor``."""
        query = select(ServiceRequest).order_by(ServiceRequest.number.desc()).limit(check_limit(limit) + 1)
        if in_state is not None:
            query = query.where(ServiceRequest.state == in_state.value)
        if cursor is not None:
            (before,) = decode_cursor(cursor, 1)
            if not isinstance(before, int):
                raise invalid_cursor()
            query = query.where(ServiceRequest.number < before)
        rows, next_cursor = split_page(list(await session.scalars(query)), limit, lambda r: (r.number,))
        return Page[RequestOut](items=[request_out(r) for r in rows], next_cursor=next_cursor)

    @get("/{request_id:uuid}", operation_id="getServiceRequest", guards=[requires_scope(REQUESTS_READ)])
    async def get_request(self, request_id: FromPath[UUID], session: SessionDep) -> RequestOut:
        """One request."""
        return request_out(await service.get_request(session, request_id))

    @post("/{request_id:uuid}/moves", operation_id="moveServiceRequest", status_code=200,
          guards=[requires_scope(REQUESTS_WRITE)])
    async def move(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], data: JSONBody[MoveIn],
                   session: SessionDep) -> RequestOut:
        """Move the request to its next state; a move its life does not allow is refused (409) with the moves
        that are allowed."""
        moved = await service.move_request(session, request_id, data.to, actor=actor(request), note=data.note,
                                           now=utcnow())
        return request_out(moved)

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
