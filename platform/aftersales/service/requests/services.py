"""Opening service requests, moving them through their life, assigning them, and their timeline.

Every change writes a timeline event in the same transaction, so the timeline is the full story of a request:
who opened it, every move with the state before and after, every assignment and note.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args
from uuid import UUID

from babel import Locale
from sqlalchemy import BindParameter, Select, Table, bindparam, func, select, union_all
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from aftersales.contract.values import HOLD_REASONS
from aftersales.db.base import new_id
from aftersales.db.session import bound_tenant
from aftersales.errors import Conflict, CrossTenantWrite, FieldError, InvalidInput, NotFound
from aftersales.identity.customers import CustomerDetails, find_or_create_customer_id, validate_customer
from aftersales.identity.models import StaffUser
from aftersales.outbox.events import RequestAssigned, RequestClosed, RequestMoved, RequestOpened
from aftersales.outbox.webhooks import emit
from aftersales.service.clocks import services as clocks
from aftersales.service.models import RequestCounter, RequestEvent, RequestHold, ServiceRequest, SlaClock
from aftersales.service.requests.events import RequestMove, publish_moved, publish_moving
from aftersales.service.requests.kinds import kind_refused
from aftersales.service.states import FINAL, RequestState, check_move
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import Claim

Kind = Literal["repair", "installation", "maintenance", "return", "exchange", "complaint", "inquiry"]
KINDS: tuple[str, ...] = get_args(Kind)
"""What a request is for; the API's ``kind`` takes exactly these (:mod:`aftersales.service.requests.schemas`)."""
MAX_SUMMARY = 2000
MAX_NOTE = 4000
COUNTRIES = frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha()) - {
    "EU", "EZ", "QO", "UN", "ZZ"}
"""ISO 3166-1 alpha-2 codes, as CLDR (babel) knows them."""
EVENT_MILESTONES = {"contacted": "the customer was contacted", "on_site": "the technician arrived on site"}
"""Milestones staff record on a request, with the timeline note used when they give none."""


@dataclass(frozen=True)
class NewRequest:
    """A request as an agent takes it: what, how it came in, and whose (a registration, or the customer)."""

    kind: str
    channel: str
    summary: str
    registration_id: UUID | None = None
    claim_id: UUID | None = None
    customer: CustomerDetails | None = None
    site_latitude: float | None = None
    site_longitude: float | None = None
    site_country: str | None = None
    """Where the unit is, when an on-site clock depends on it (distance to a service point, overseas)."""
    complaint_subject: str | None = None
    """A complaint's subject, checked by :mod:`aftersales.service.complaints.services`, which files complaints."""


async def open_request(session: AsyncSession, tenant: CurrentTenant, new: NewRequest, *, actor: str,
                       now: datetime) -> ServiceRequest:
    """Open a request and its timeline. The customer is the registration's owner, else found or created from
    the details given.

    :raises InvalidInput: every bad field at once; nothing is written.
    """
    errors: list[FieldError] = []
    if (refused := kind_refused(tenant, new.kind)) is not None:
        errors.append(refused)
    summary = new.summary.strip()
    if not summary:
        errors.append(FieldError("summary", "say what the customer needs"))
    elif len(summary) > MAX_SUMMARY:
        errors.append(FieldError("summary", f"must be at most {MAX_SUMMARY} characters"))
    customer_id = unit = None
    if new.registration_id is not None:
        unit = await clocks.unit_facts(session, tenant, new.registration_id, now)
        if unit is None:
            errors.append(FieldError("registration_id", "no such registration"))
        else:
            customer_id = unit.customer_id
    if new.claim_id is not None:
        claim = await session.scalar(select(Claim).where(Claim.id == new.claim_id))
        if claim is None:
            errors.append(FieldError("claim_id", "no such claim"))
        elif new.registration_id is not None and claim.registration_id != new.registration_id:
            errors.append(FieldError("claim_id", "belongs to another registration"))
    details = None
    if customer_id is None:
        if new.customer is None:
            errors.append(FieldError("customer", "give the customer, or the registration of their unit"))
        else:
            details, customer_errors = validate_customer(new.customer, tenant.context.country, "customer")
            errors += customer_errors
    errors += _site_errors(new, tenant.context.country)
    if errors:
        raise InvalidInput("the request cannot be opened", errors)
    if details is not None:
        customer_id = await find_or_create_customer_id(session, details)
    assert customer_id is not None
    tenant_id = bound_tenant(session)
    if tenant_id != tenant.record.id:
        raise CrossTenantWrite("a request is opened in a session bound to its own tenant")
    request = ServiceRequest(
        tenant_id=tenant_id, id=new_id(), created_at=now, number=0, kind=new.kind, channel=new.channel,
        state=RequestState.RECEIVED.value, customer_id=customer_id, registration_id=new.registration_id,
        claim_id=new.claim_id, assignee_id=None, summary=summary, priority=0, promised_at=None,
        site_latitude=new.site_latitude, site_longitude=new.site_longitude,
        site_country=new.site_country.upper() if new.site_country else None,
        complaint_subject=new.complaint_subject, opened_at=now, closed_at=None, updated_at=now,
    )
    # Clocks are planned before the insert, so the promised date goes into the request's row.
    planned = clocks.plan_clocks(tenant, request, await clocks.request_facts(session, tenant, request, unit), now)
    opened = {"tenant_id": tenant_id, "id": new_id(), "created_at": now, "request_id": request.id,
              "occurred_at": now, "actor": actor, "kind": "opened", "from_state": None,
              "to_state": RequestState.RECEIVED.value, "note": summary}
    await _write_opened(session, request, opened, [row | {"tenant_id": tenant_id} for row in planned])
    await emit(session, RequestOpened(
        request_id=request.id, number=request.number, kind=request.kind, channel=request.channel,
        state=request.state, customer_id=request.customer_id, registration_id=request.registration_id,
        claim_id=request.claim_id, summary=request.summary, promised_at=request.promised_at, opened_at=now,
    ), key=request.id, now=now)
    return request


def _site_errors(new: NewRequest, tenant_country: str) -> list[FieldError]:
    errors = []
    if (new.site_latitude is None) != (new.site_longitude is None):
        errors.append(FieldError("site_latitude" if new.site_latitude is None else "site_longitude",
                                 "give both coordinates of the site, or neither"))
    if new.site_latitude is not None and not -90 <= new.site_latitude <= 90:
        errors.append(FieldError("site_latitude", "must be between -90 and 90"))
    if new.site_longitude is not None and not -180 <= new.site_longitude <= 180:
        errors.append(FieldError("site_longitude", "must be between -180 and 180"))
    if new.site_country is not None and new.site_country.upper() not in COUNTRIES:
        errors.append(FieldError("site_country", "not an ISO 3166-1 alpha-2 country code"))
    return errors


_BUMP_COUNTER = (
    sqlite_insert(RequestCounter.__table__)
    .on_conflict_do_update(index_elements=[RequestCounter.tenant_id],
                           set_={"last_number": RequestCounter.__table__.c.last_number + 1})
    .returning(RequestCounter.last_number)
)
"""SQLite: the tenant's counter bumped (or started at 1) and read in one statement."""
_INSERT_REQUEST = ServiceRequest.__table__.insert()
_INSERT_EVENT = RequestEvent.__table__.insert()
_INSERT_CLOCKS = SlaClock.__table__.insert()
_REQUEST_COLUMNS = tuple(column.key for column in ServiceRequest.__mapper__.column_attrs)


async def _write_opened(session: AsyncSession, request: ServiceRequest, opened: dict[str, Any],
                        planned: list[dict[str, Any]]) -> None:
    """Write the request, its ``opened`` event and its clocks with :func:`insert_opening` on the session's
    connection (an ORM flush or bulk insert of the same rows costs several times the SQL); ``request`` gets
    its number and becomes the session's persistent object for the new row."""
    connection = await session.connection()
    request.number = await insert_opening(connection, {key: getattr(request, key) for key in _REQUEST_COLUMNS},
                                          opened, planned)
    make_transient_to_detached(request)  # its row is written: the object is that row from now on
    session.add(request)


async def insert_opening(connection: AsyncConnection, request: dict[str, Any], opened: dict[str, Any],
                         planned: list[dict[str, Any]]) -> int:
    """Bump the tenant's counter and insert the request row numbered from it, its ``opened`` event and its
    clocks; return the number. Rows are complete column dicts naming their tenant (the caller's session's):
    on PostgreSQL one statement (:func:`_opening_statement`), on SQLite four.

    The counter row stays locked until the transaction ends (on PostgreSQL a row lock, on SQLite the one
    writer), so a concurrent opener of the same tenant waits and takes the next number, and a rolled-back
    opening gives its number back: no gaps, no retries.
    """
    if connection.dialect.name == "postgresql":
        params = {f"r_{key}": value for key, value in request.items() if key != "number"}
        params.update((f"e_{key}", value) for key, value in opened.items())
        for n, clock in enumerate(planned):
            params.update((f"c{n}_{key}", value) for key, value in clock.items())
        return int((await connection.execute(_opening_statement(len(planned)), params)).scalar_one())
    number = (await connection.execute(_BUMP_COUNTER, {"tenant_id": request["tenant_id"],
                                                       "last_number": 1})).scalar_one()
    await connection.execute(_INSERT_REQUEST, request | {"number": number})
    await connection.execute(_INSERT_EVENT, opened)
    if planned:
        await connection.execute(_INSERT_CLOCKS, planned)
    return int(number)


@functools.cache
def _opening_statement(clocks: int) -> Select[tuple[int]]:
    """PostgreSQL: the counter bump, the request numbered from it, its event and ``clocks`` clocks in one
    statement of data-modifying CTEs (one round trip instead of four; foreign keys are checked at its end).
    Parameters are the columns prefixed ``r_`` (request), ``e_`` (event) and ``c0_``, ``c1_`` … (clocks)."""
    counters, requests, events, sla_clocks = (model.__table__ for model in (RequestCounter, ServiceRequest,
                                                                            RequestEvent, SlaClock))

    def params(table: Table, prefix: str) -> dict[str, BindParameter[Any]]:
        return {c.key: bindparam(f"{prefix}{c.key}", type_=c.type) for c in table.c if c.key != "number"}

    bumped = (postgresql_insert(counters).values(tenant_id=params(counters, "r_")["tenant_id"], last_number=1)
              .on_conflict_do_update(index_elements=[counters.c.tenant_id],
                                     set_={"last_number": counters.c.last_number + 1})
              .returning(counters.c.last_number).cte("bumped"))
    request = params(requests, "r_")
    numbered = (requests.insert().from_select([*request, "number"], select(*request.values(), bumped.c.last_number))
                .returning(requests.c.number).cte("request"))
    writes = [events.insert().values(params(events, "e_")).cte("opened")]
    if clocks:  # INSERT … SELECT … UNION ALL …: a multi-row VALUES would be compiled again on every call
        rows = [params(sla_clocks, f"c{n}_") for n in range(clocks)]
        writes.append(sla_clocks.insert().from_select(list(rows[0]), union_all(*(select(*row.values()) for row in rows)))
                      .cte("clocks"))
    return select(numbered.c.number).add_cte(*writes)


async def get_request(session: AsyncSession, request_id: UUID) -> ServiceRequest:
    """:raises NotFound: when the session's tenant has no such request."""
    request = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == request_id))
    if request is None:
        raise NotFound("no such service request")
    return request


async def move_request(session: AsyncSession, tenant: CurrentTenant, request_id: UUID, target: RequestState, *,
                       actor: str, note: str, now: datetime) -> ServiceRequest:
    """Move a request to ``target``; its clocks start, stop, pause and resume with the move.

    :raises IllegalTransition: a move its life does not allow.
    """
    request = await get_request(session, request_id)
    current = RequestState(request.state)
    check_move(current, target)
    move = RequestMove(session, tenant, request, current, target, now)
    await publish_moving(move)
    request.state = target.value
    if target in FINAL:
        request.closed_at = now
        for hold in await open_holds(session, request.id):
            hold.ended_at = now
    moved = RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="moved",
                         from_state=current.value, to_state=target.value, note=_note(note))
    session.add(moved)
    await clocks.reach(session, tenant, request, clocks.state_milestones(current, target), now)
    await publish_moved(move)
    await session.flush()
    await emit(session, RequestMoved(request_id=request.id, number=request.number, kind=request.kind,
                                            from_state=current.value, to_state=target.value, moved_at=now),
               key=moved.id, now=now)
    if target in FINAL:
        await emit(session, RequestClosed(request_id=request.id, number=request.number, kind=request.kind,
                                                 outcome=target.value, opened_at=request.opened_at, closed_at=now),
                   key=request.id, now=now)
    return request


async def record_milestone(session: AsyncSession, tenant: CurrentTenant, request_id: UUID, milestone: str, *,
                           actor: str, note: str, now: datetime) -> RequestEvent:
    """Record that the customer was contacted (``contacted``) or the technician arrived (``on_site``); the
    clocks those milestones meet stop. :raises Conflict: the request has ended."""
    if milestone not in EVENT_MILESTONES:
        raise ValueError(f"{milestone!r} is not a milestone staff record")
    request = await get_request(session, request_id)
    if RequestState(request.state) in FINAL:
        raise Conflict(f"the request is {request.state}; nothing more is recorded on an ended request")
    event = RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind=milestone,
                         note=_note(note) or EVENT_MILESTONES[milestone])
    session.add(event)
    await clocks.reach(session, tenant, request, [milestone], now)
    await session.flush()
    return event


async def put_on_hold(session: AsyncSession, tenant: CurrentTenant, request_id: UUID, reason: str, *, actor: str,
                      note: str, now: datetime) -> RequestHold:
    """Put the request on hold (waiting for the customer …): the clocks that pause for ``reason`` stand still.

    :raises InvalidInput: an unknown reason. :raises Conflict: an ended request, or already on that hold.
    """
    if reason not in HOLD_REASONS:
        raise InvalidInput("cannot hold the request",
                           [FieldError("reason", f"must be one of {', '.join(HOLD_REASONS)}")])
    request = await get_request(session, request_id)
    if RequestState(request.state) in FINAL:
        raise Conflict(f"the request is {request.state}; an ended request is not put on hold")
    if any(h.reason == reason for h in await open_holds(session, request.id)):
        raise Conflict(f"the request is already on hold: {reason}")
    hold = RequestHold(request_id=request.id, reason=reason, note=_note(note), started_at=now, actor=actor)
    session.add(hold)
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="held",
                             note=_note(note) or reason.replace("_", " ")))
    await session.flush()
    await clocks.settle_pauses(session, tenant, request, now)
    await session.flush()
    return hold


async def release_hold(session: AsyncSession, tenant: CurrentTenant, request_id: UUID, hold_id: UUID, *, actor: str,
                       note: str, now: datetime) -> RequestHold:
    """End a hold; the clocks it paused run again, due later by exactly the time they stood still.

    :raises NotFound: no such hold on this request. :raises Conflict: the hold has already ended.
    """
    request = await get_request(session, request_id)
    hold = await session.scalar(select(RequestHold).where(RequestHold.id == hold_id,
                                                          RequestHold.request_id == request.id))
    if hold is None:
        raise NotFound("no such hold on this request")
    if hold.ended_at is not None:
        raise Conflict("the hold has already ended")
    hold.ended_at = now
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="released",
                             note=_note(note) or f"{hold.reason.replace('_', ' ')} ended"))
    await session.flush()
    await clocks.settle_pauses(session, tenant, request, now)
    await session.flush()
    return hold


async def open_holds(session: AsyncSession, request_id: UUID) -> list[RequestHold]:
    """The request's holds still open, oldest first (each can be released)."""
    return list(await session.scalars(select(RequestHold).where(RequestHold.request_id == request_id,
                                                                RequestHold.ended_at.is_(None))
                                      .order_by(RequestHold.started_at)))


async def holds_of(session: AsyncSession, request_id: UUID) -> list[RequestHold]:
    """Every hold of a request, oldest first."""
    await get_request(session, request_id)
    return list(await session.scalars(select(RequestHold).where(RequestHold.request_id == request_id)
                                      .order_by(RequestHold.started_at, RequestHold.id)))


async def assign_request(session: AsyncSession, request_id: UUID, assignee_id: UUID, *, actor: str, note: str,
                         now: datetime) -> ServiceRequest:
    """Give a request to a member of staff (agent, technician). :raises InvalidInput: no such active staff."""
    request = await get_request(session, request_id)
    if RequestState(request.state) in FINAL:
        raise Conflict(f"the request is {request.state}; an ended request is not assigned")
    staff = await session.scalar(select(StaffUser).where(StaffUser.id == assignee_id, StaffUser.active.is_(True)))
    if staff is None:
        raise InvalidInput("cannot assign", [FieldError("assignee_id", "no active staff member with this id")])
    request.assignee_id = staff.id
    assigned = RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="assigned",
                            note=_note(note) or f"assigned to {staff.name}")
    session.add(assigned)
    await session.flush()
    await emit(session, RequestAssigned(request_id=request.id, number=request.number, assignee_id=staff.id,
                                               assigned_at=now), key=assigned.id, now=now)
    return request


async def add_note(session: AsyncSession, request_id: UUID, *, actor: str, note: str, now: datetime) -> RequestEvent:
    """Add a note to the timeline. :raises InvalidInput: an empty note."""
    request = await get_request(session, request_id)
    text = _note(note)
    if not text:
        raise InvalidInput("empty note", [FieldError("note", "must not be empty")])
    event = RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="note", note=text)
    session.add(event)
    await session.flush()
    return event


async def requests_of_customer(session: AsyncSession, customer_id: UUID) -> list[ServiceRequest]:
    """The customer's service requests other than complaints (they have their own list), newest first."""
    return list(await session.scalars(
        select(ServiceRequest).where(ServiceRequest.customer_id == customer_id, ServiceRequest.kind != "complaint")
        .order_by(ServiceRequest.number.desc())))


async def requests_about_unit(session: AsyncSession, customer_id: UUID, registration_id: UUID) -> list[ServiceRequest]:
    """The customer's requests (complaints included) about one of their registered units, newest first."""
    return list(await session.scalars(
        select(ServiceRequest).where(ServiceRequest.customer_id == customer_id,
                                     ServiceRequest.registration_id == registration_id)
        .order_by(ServiceRequest.number.desc())))


async def latest_event_at(session: AsyncSession) -> datetime | None:
    """When the latest event of any of the session's tenant's requests happened (None before the first)."""
    return await session.scalar(select(func.max(RequestEvent.occurred_at)))


async def timeline(session: AsyncSession, request_id: UUID) -> list[RequestEvent]:
    """Every event of a request, oldest first."""
    await get_request(session, request_id)
    return list(await session.scalars(select(RequestEvent).where(RequestEvent.request_id == request_id)
                                      .order_by(RequestEvent.occurred_at, RequestEvent.id)))


def _note(note: str) -> str:
    text = note.strip()
    if len(text) > MAX_NOTE:
        raise InvalidInput("note too long", [FieldError("note", f"must be at most {MAX_NOTE} characters")])
    return text
