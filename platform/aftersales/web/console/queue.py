"""The request queue: open requests with each promise's state, filtered the way an agent narrows a day's work and
sorted by what needs doing first.

A request's SLA state is the worst of its live clocks (started and not met): ``breached``, ``at_risk``,
``paused`` (waiting on a hold or a state that stops it), ``on_track``, or ``none`` when no promise runs. The exact
state needs the tenant's calendar (business clocks count opening hours), so it is computed here with
:func:`aftersales.service.clocks.services.view` for the requests the filters leave; SQL narrows them first (state, kind,
assignee, text, and an SLA pre-filter) and hands them over most-urgent-first by their soonest due time, at most
:data:`MAX_CANDIDATES` of them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import String, and_, cast, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.calendar import BusinessCalendar
from aftersales.identity.models import Customer, StaffUser
from aftersales.service.clocks.services import ClockView, view
from aftersales.service.models import RequestHold, ServiceRequest, SlaClock
from aftersales.service.states import FINAL
from aftersales.warranty.models import ProductModel, Registration, Serial

PAGE_SIZE = 25
MAX_CANDIDATES = 1000
"""The most requests one queue view ranks; a narrower filter finds the rest."""
SLA_STATES = ("breached", "at_risk", "paused", "on_track", "none")
"""A request's SLA states, the one that names a request first (a request with a paused promise is paused)."""
URGENCY = ("breached", "at_risk", "on_track", "paused", "none")
"""The queue's order: a paused request waits on someone else, so it comes after those running on track."""
SLA_FILTERS = ("attention", *SLA_STATES)
"""``attention`` is breached or at risk: what a supervisor looks at first."""
STATE_FILTERS = ("open", "all")
"""Besides one state: every request not yet ended (the default), or all."""
ENDED_STATES = tuple(s.value for s in FINAL)


@dataclass(frozen=True)
class QueueFilter:
    """What the agent asked for; empty strings mean any."""

    state: str = "open"
    sla: str = ""
    kind: str = ""
    assignee: str = ""
    """``me``, ``none`` (unassigned) or a staff member's id."""
    text: str = ""
    """A request number, a serial, or part of the customer's name, phone or e-mail."""
    page: int = 1

    def query(self, page: int) -> str:
        """The query string of this filter's ``page`` (for the pager's links)."""
        fields = {"q": self.text, "state": self.state, "sla": self.sla, "kind": self.kind, "assignee": self.assignee,
                  "page": str(page)}
        return urlencode({name: value for name, value in fields.items() if value})


@dataclass(frozen=True)
class ClockLine:
    """One promise of a request as the queue shows it: its name and state (``paused`` while it stands still)."""

    name: str
    state: str
    due_at: datetime | None
    remaining: timedelta | None
    paused_for: str | None


@dataclass(frozen=True)
class QueueRow:
    """One request in the queue."""

    id: uuid.UUID
    number: int
    kind: str
    state: str
    priority: int
    customer: str
    device: str | None
    serial: str | None
    assignee: str | None
    opened_at: datetime
    sla: str
    clocks: list[ClockLine] = field(default_factory=list)

    def age(self, now: datetime) -> timedelta:
        return now - self.opened_at


@dataclass(frozen=True)
class Queue:
    """One page of the queue and what is needed to page on."""

    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    truncated: bool
    """More requests matched than :data:`MAX_CANDIDATES`: the agent should narrow the filter."""


def clock_line(clock: SlaClock, calendar: BusinessCalendar, now: datetime) -> ClockLine:
    """How one clock stands, with ``paused`` for a live clock that stands still."""
    seen: ClockView = view(clock, calendar, now)
    state = seen.state
    if clock.met_at is None and clock.started_at is not None and clock.running_since is None and state != "breached":
        state = "paused"
    return ClockLine(clock.name, state, seen.due_at, seen.remaining, seen.paused_for)


def request_sla(lines: list[ClockLine], clocks: list[SlaClock]) -> str:
    """The worst state among the live clocks (started, not met); ``none`` when no promise runs."""
    live = {line.state for line, clock in zip(lines, clocks, strict=True)
            if clock.started_at is not None and clock.met_at is None}
    return next((state for state in SLA_STATES[:-1] if state in live), "none")


def _text_match(text: str) -> object:
    pattern = text.strip().lower()
    matches = [
        func.lower(Customer.name).contains(pattern, autoescape=True),
        func.lower(func.coalesce(Customer.email, "")).contains(pattern, autoescape=True),
        func.coalesce(Customer.phone, "").contains(pattern, autoescape=True),
        func.lower(func.coalesce(Serial.serial, "")).contains(pattern, autoescape=True),
    ]
    digits = pattern.lstrip("#")
    if digits.isdigit() and len(digits) < 10:
        matches.append(ServiceRequest.number == int(digits))
    else:
        matches.append(cast(ServiceRequest.number, String) == digits)
    return or_(*matches)


def _unmet(*conditions: object) -> object:
    return exists().where(SlaClock.tenant_id == ServiceRequest.tenant_id, SlaClock.request_id == ServiceRequest.id,
                          SlaClock.started_at.is_not(None), SlaClock.met_at.is_(None), *conditions)


def _sla_prefilter(sla: str, now: datetime) -> object | None:
    """A SQL condition every request of SLA state ``sla`` meets (the exact state is decided afterwards)."""
    overdue = or_(SlaClock.breached_at.is_not(None), SlaClock.due_at <= now)
    if sla == "breached":
        return _unmet(overdue)
    if sla in ("at_risk", "on_track"):
        return _unmet(SlaClock.due_at > now, SlaClock.breached_at.is_(None))
    if sla == "attention":
        return _unmet(or_(overdue, SlaClock.due_at > now))
    if sla == "paused":
        return _unmet(SlaClock.running_since.is_(None))
    if sla == "none":
        return ~_unmet()
    return None


async def load_queue(session: AsyncSession, calendar: BusinessCalendar, which: QueueFilter, *, me: uuid.UUID | None,
                     now: datetime) -> Queue:
    """The page of the queue ``which`` asks for, most urgent first."""
    soonest = (select(func.min(SlaClock.due_at))
               .where(SlaClock.tenant_id == ServiceRequest.tenant_id, SlaClock.request_id == ServiceRequest.id,
                      SlaClock.met_at.is_(None))
               .correlate(ServiceRequest).scalar_subquery())
    query = (select(ServiceRequest, Customer.name, ProductModel.name, Serial.serial, StaffUser.name)
             .join(Customer, and_(Customer.tenant_id == ServiceRequest.tenant_id,
                                  Customer.id == ServiceRequest.customer_id))
             .outerjoin(Registration, and_(Registration.tenant_id == ServiceRequest.tenant_id,
                                           Registration.id == ServiceRequest.registration_id))
             .outerjoin(Serial, and_(Serial.tenant_id == Registration.tenant_id, Serial.id == Registration.serial_id))
             .outerjoin(ProductModel, and_(ProductModel.tenant_id == Serial.tenant_id,
                                           ProductModel.id == Serial.model_id))
             .outerjoin(StaffUser, and_(StaffUser.tenant_id == ServiceRequest.tenant_id,
                                        StaffUser.id == ServiceRequest.assignee_id))
             .order_by(soonest.asc().nulls_last(), ServiceRequest.opened_at, ServiceRequest.number)
             .limit(MAX_CANDIDATES + 1))
    if which.state == "open":
        query = query.where(ServiceRequest.state.not_in(ENDED_STATES))
    elif which.state != "all":
        query = query.where(ServiceRequest.state == which.state)
    if which.kind:
        query = query.where(ServiceRequest.kind == which.kind)
    if which.assignee == "me":
        query = query.where(ServiceRequest.assignee_id == me)
    elif which.assignee == "none":
        query = query.where(ServiceRequest.assignee_id.is_(None))
    elif which.assignee:
        query = query.where(ServiceRequest.assignee_id == uuid.UUID(which.assignee))
    if which.text.strip():
        query = query.where(_text_match(which.text))
    prefilter = _sla_prefilter(which.sla, now)
    if prefilter is not None:
        query = query.where(prefilter)
    found = (await session.execute(query)).all()
    truncated = len(found) > MAX_CANDIDATES
    found = found[:MAX_CANDIDATES]
    clocks_by_request: dict[uuid.UUID, list[SlaClock]] = defaultdict(list)
    if found:
        ids = [row[0].id for row in found]
        for clock in await session.scalars(select(SlaClock).where(SlaClock.request_id.in_(ids))
                                           .order_by(SlaClock.created_at, SlaClock.name)):
            clocks_by_request[clock.request_id].append(clock)
    rows = []
    for request, customer, model, serial, assignee in found:
        clocks = clocks_by_request[request.id]
        lines = [clock_line(c, calendar, now) for c in clocks]
        rows.append(QueueRow(id=request.id, number=request.number, kind=request.kind, state=request.state,
                             priority=request.priority, customer=customer, device=model, serial=serial,
                             assignee=assignee, opened_at=request.opened_at, sla=request_sla(lines, clocks),
                             clocks=lines))
    if which.sla == "attention":
        rows = [r for r in rows if r.sla in ("breached", "at_risk")]
    elif which.sla:
        rows = [r for r in rows if r.sla == which.sla]
    rows.sort(key=_urgency)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(which.page, 1), pages)
    return Queue(rows=rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], total=len(rows), page=page, pages=pages,
                 truncated=truncated)


def _urgency(row: QueueRow) -> tuple[int, int, float, datetime]:
    """Most urgent first: the worst SLA state, then priority, then the least time left, then the oldest."""
    left = [line.remaining.total_seconds() for line in row.clocks
            if line.remaining is not None and line.state in ("breached", "at_risk", "on_track")]
    return (URGENCY.index(row.sla), -row.priority, min(left, default=float("inf")), row.opened_at)


async def open_holds(session: AsyncSession, request_id: uuid.UUID) -> list[RequestHold]:
    """The request's holds still open, oldest first (each can be released)."""
    return list(await session.scalars(select(RequestHold).where(RequestHold.request_id == request_id,
                                                                RequestHold.ended_at.is_(None))
                                      .order_by(RequestHold.started_at)))
