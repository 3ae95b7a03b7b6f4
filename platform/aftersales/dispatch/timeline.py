"""A visit's steps on its request's timeline (the request itself, or the booking's request): taken, planned,
fixed, cancelled, flagged at the cut-off, started and finished; arrival is the request's ``on_site`` milestone, which
stops its on-site clock (:mod:`aftersales.service.requests.services`)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, Message, messages
from aftersales.dispatch.models import Visit
from aftersales.marketplace.models import Booking
from aftersales.service.models import RequestEvent

_ = messages(CORE_DOMAIN)


def window_text(visit: Visit) -> str:
    """``09:00–12:00``: the visit's window in the tenant's wall-clock time."""
    return f"{visit.window_start:%H:%M}–{visit.window_end:%H:%M}"


def _note(kind: str, visit: Visit, technician: str) -> Message:
    day, window = visit.day, window_text(visit)
    if kind == "visit_taken":
        return _("an on-site visit was taken for {day}, {window}", day=day, window=window)
    if kind == "visit_planned":
        return _("the visit on {day}, {window} was planned to {technician}", day=day, window=window,
                 technician=technician)
    if kind == "visit_fixed":
        return _("the visit on {day}, {window} is fixed with {technician}; the customer was told", day=day,
                 window=window, technician=technician)
    if kind == "visit_cancelled":
        return _("the visit on {day}, {window} was cancelled", day=day, window=window)
    if kind == "visit_unplanned":
        return _("the visit on {day} was still unplanned at the plan's cut-off", day=day)
    if kind == "visit_started":
        return _("the technician started the work on site")
    if kind == "visit_finished":
        return _("the technician finished the visit; {name} signed for it", name=visit.signed_by or "")
    raise ValueError(f"no timeline note for {kind!r}")


async def request_of(session: AsyncSession, visit: Visit) -> uuid.UUID | None:
    """The request whose timeline the visit writes to: its own, or its booking's (None for a booking without one)."""
    if visit.request_id is not None:
        return visit.request_id
    return await session.scalar(select(Booking.request_id).where(Booking.id == visit.booking_id))


async def record(session: AsyncSession, visit: Visit, kind: str, *, actor: str, now: datetime,
                 technician: str = "") -> None:
    """Write the step ``kind`` of ``visit`` on its request's timeline (nothing for a booking without a request)."""
    request_id = await request_of(session, visit)
    if request_id is not None:
        session.add(RequestEvent(request_id=request_id, occurred_at=now, actor=actor, kind=kind,
                                 note=_note(kind, visit, technician)))
