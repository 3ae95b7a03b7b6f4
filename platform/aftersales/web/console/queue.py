"""The request queue: open requests with each promise's state, filtered the way an agent narrows a day's work and
sorted by what needs doing first.

A request's SLA state is the worst of its live clocks (started and not met): ``breached``, ``at_risk``,
``paused`` (waiting on a hold or a state that stops it), ``on_track``, or ``none`` when no promise runs. The exact
state needs the tenant's calendar (business clocks count opening hours), so it is computed here with
:func:`aftersales.service.clocks.services.view` for the requests the filters leave; SQL narrows them first
(:func:`aftersales.service.requests.queue.queue_candidates`: state, kind, assignee, text, and an SLA pre-filter)
and hands them over most-urgent-first by their soonest due time, at most :data:`MAX_CANDIDATES` of them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.calendar import BusinessCalendar
from aftersales.service.clocks.services import ClockView, view
from aftersales.service.models import SlaClock
from aftersales.service.requests import queue as requests_queue

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


async def load_queue(session: AsyncSession, calendar: BusinessCalendar, which: QueueFilter, *, me: uuid.UUID | None,
                     now: datetime) -> Queue:
    """The page of the queue ``which`` asks for, most urgent first."""
    found = await requests_queue.queue_candidates(
        session, state=which.state, kind=which.kind, assignee=which.assignee, text=which.text, sla=which.sla, me=me,
        now=now, limit=MAX_CANDIDATES)
    truncated = len(found) > MAX_CANDIDATES
    found = found[:MAX_CANDIDATES]
    clocks_by_request = await requests_queue.clocks_by_request(session, [row[0].id for row in found])
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

