"""Business days a unit has spent at the service centre, counted from its requests' own history.

Mehr's rule (seed 000): a device unresolved after 30 business days at the service centre is replaced. The
count is the core's, never the caller's: a unit is in service from the day its request was opened until the
request ends (or now), on the tenant's business calendar. Time the request waited on someone else (a
:class:`~aftersales.service.models.RequestHold`: waiting for the customer …) and time it stood ``ready`` for
collection (repaired, whether or not it later went back into repair) do not count.

Counted by whole days, as the promise is written: each business day after the intake date up to and including
the last day counts, unless the unit was paused for all of that day's opening hours. A hold that starts or ends
during a day leaves that day counted, so a pause never takes from the customer a day the centre worked on.
Several requests of one claim count each business day once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.calendar import BusinessCalendar
from aftersales.service.models import RequestEvent, RequestHold, ServiceRequest
from aftersales.service.states import RequestState

Pause = tuple[datetime, datetime | None]
"""A stretch the unit was not in service: its start and end (None: still going on)."""


def days_in_service(calendar: BusinessCalendar, opened_at: datetime, until: datetime,
                    pauses: Iterable[Pause]) -> set[date]:
    """The business days (local dates) a unit taken in at ``opened_at`` was in service up to ``until``."""
    merged = _merged(pauses)
    first, last = opened_at.astimezone(calendar.zone).date(), until.astimezone(calendar.zone).date()
    counted: set[date] = set()
    day = first + timedelta(days=1)
    while day <= last:
        opening = calendar.opening_hours(day)
        if opening is not None and not any(start <= opening[0] and (end is None or end >= opening[1])
                                           for start, end in merged):
            counted.add(day)
        day += timedelta(days=1)
    return counted


def _merged(pauses: Iterable[Pause]) -> list[Pause]:
    """Overlapping or touching pauses joined into one, oldest first."""
    merged: list[Pause] = []
    for start, end in sorted(pauses, key=lambda p: p[0]):
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last_start, last_end = merged[-1]
            merged[-1] = (last_start, None if last_end is None or end is None else max(last_end, end))
        else:
            merged.append((start, end))
    return merged


def ready_stretches(moves: Sequence[RequestEvent]) -> list[Pause]:
    """From a request's ``moved`` events (oldest first): the stretches it stood ready for collection."""
    stretches: list[Pause] = []
    since: datetime | None = None
    for move in moves:
        if move.to_state == RequestState.READY.value and since is None:
            since = move.occurred_at
        elif move.from_state == RequestState.READY.value and since is not None:
            stretches.append((since, move.occurred_at))
            since = None
    if since is not None:
        stretches.append((since, None))
    return stretches


async def business_days_in_service(session: AsyncSession, calendar: BusinessCalendar,
                                   requests: Sequence[ServiceRequest], now: datetime) -> int:
    """Business days at the service centre over ``requests`` (those of one unit or claim), holds and ready
    stretches excluded, each day counted once."""
    ids: list[UUID] = [r.id for r in requests]
    if not ids:
        return 0
    holds = (await session.execute(select(RequestHold.request_id, RequestHold.started_at, RequestHold.ended_at)
                                   .where(RequestHold.request_id.in_(ids)))).all()
    moves = (await session.scalars(select(RequestEvent).where(RequestEvent.request_id.in_(ids),
                                                              RequestEvent.kind == "moved")
                                   .order_by(RequestEvent.occurred_at, RequestEvent.id))).all()
    days: set[date] = set()
    for request in requests:
        pauses: list[Pause] = [(start, end) for request_id, start, end in holds if request_id == request.id]
        pauses += ready_stretches([m for m in moves if m.request_id == request.id])
        until = min(request.closed_at, now) if request.closed_at is not None else now
        days |= days_in_service(calendar, request.opened_at, until, pauses)
    return len(days)
