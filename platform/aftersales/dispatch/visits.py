"""On-site visits: a job (a service request or a marketplace booking) to be done at the customer's site on a
day, in a time window, and what the dispatcher knows of it (the skill it needs, the product's category and
whether it is in warranty on that day, the site).

The category and warranty are read from the job's registered unit (its catalogue model, its coverage on the
visit's day), never taken from the dispatcher, so the authorisation rule cannot be talked around.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.dispatch import timeline
from aftersales.dispatch.models import Visit, VisitState
from aftersales.dispatch.technicians import MAX_SKILL, coordinate_errors, text_errors
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.date_windows import check_schedule
from aftersales.marketplace.models import Booking
from aftersales.service.models import ServiceRequest
from aftersales.service.states import FINAL, RequestState
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import ProductModel, Registration, Serial
from aftersales.warranty.registrations.coverage import current_coverage, status_on

MAX_ADDRESS = 1000
LIVE_BOOKING_STATES = frozenset({"booked", "arrived", "in_progress"})


@dataclass(frozen=True)
class NewVisit:
    """A visit as the dispatcher takes it: exactly one of ``request_id`` and ``booking_id``; the site is the
    job's own unless given."""

    day: date
    window_start: time
    window_end: time
    skill: str
    address: str
    request_id: uuid.UUID | None = None
    booking_id: uuid.UUID | None = None
    site_latitude: float | None = None
    site_longitude: float | None = None


@dataclass(frozen=True)
class JobFacts:
    """What the job's own records say: the customer, the registered unit's category, its warranty on the day,
    and its site."""

    customer_id: uuid.UUID
    category: str | None
    in_warranty: bool
    site: tuple[float, float] | None


async def create_visit(session: AsyncSession, tenant: CurrentTenant, new: NewVisit, *, actor: str,
                       now: datetime) -> Visit:
    """Take an on-site visit, unplanned, on the request's timeline.

    :raises InvalidInput: every bad field (nothing written). :raises Conflict: the request or booking has ended.
    """
    check_schedule(new.day, "day", tenant.today())
    errors = text_errors("skill", new.skill, MAX_SKILL) + text_errors("address", new.address, MAX_ADDRESS)
    if new.window_start >= new.window_end:
        errors.append(FieldError("window_end", "must be after window_start", code="dispatch.window_out_of_order"))
    if new.day < tenant.today():
        errors.append(FieldError("day", "must not be in the past", code="dispatch.day_past"))
    given_site = new.site_latitude is not None or new.site_longitude is not None
    if given_site:
        errors += coordinate_errors(new.site_latitude if new.site_latitude is not None else float("nan"),
                                    new.site_longitude if new.site_longitude is not None else float("nan"), "site")
    facts = None
    if (new.request_id is None) == (new.booking_id is None):
        errors.append(FieldError("request_id", "give exactly one of request_id and booking_id",
                                 code="dispatch.request_or_booking"))
    else:
        facts = await job_facts(session, new.request_id, new.booking_id, new.day, errors)
    if facts is not None and not given_site and facts.site is None:
        errors.append(FieldError("site_latitude", "the job has no site location: give site_latitude and "
                                                  "site_longitude", code="dispatch.site_missing"))
    if errors or facts is None:
        raise InvalidInput("the visit cannot be taken", errors)
    site = (new.site_latitude, new.site_longitude) if given_site else facts.site
    assert site is not None
    visit = Visit(request_id=new.request_id, booking_id=new.booking_id, skill=new.skill.strip(),
                  category=facts.category, in_warranty=facts.in_warranty, site_latitude=site[0],
                  site_longitude=site[1], address=new.address.strip(), day=new.day, window_start=new.window_start,
                  window_end=new.window_end, state=VisitState.UNPLANNED, created_by=actor)
    session.add(visit)
    await session.flush()
    await timeline.record(session, visit, "visit_taken", actor=actor, now=now)
    return visit


async def job_facts(session: AsyncSession, request_id: uuid.UUID | None, booking_id: uuid.UUID | None, day: date,
                    errors: list[FieldError]) -> JobFacts | None:
    """The job's customer, category, warranty on ``day`` and site; an unknown job is a field error, an ended one
    a :class:`Conflict`."""
    if request_id is not None:
        request = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == request_id))
        if request is None:
            errors.append(FieldError("request_id", "no such service request", code="dispatch.unknown_request"))
            return None
        if RequestState(request.state) in FINAL:
            raise Conflict(f"the request is {request.state}; an ended request gets no visit",
                           code="dispatch.job_ended")
        site = (request.site_latitude, request.site_longitude) if request.site_latitude is not None else None
        category, covered = await _unit(session, request.registration_id, day)
        return JobFacts(request.customer_id, category, covered, site)  # type: ignore[arg-type]
    booking = await session.scalar(select(Booking).where(Booking.id == booking_id))
    if booking is None:
        errors.append(FieldError("booking_id", "no such booking", code="dispatch.unknown_booking"))
        return None
    if booking.state not in LIVE_BOOKING_STATES:
        raise Conflict(f"the booking is {booking.state}; it gets no visit", code="dispatch.job_ended")
    site = (booking.site_latitude, booking.site_longitude) if booking.site_latitude is not None else None
    category, _ = await _unit(session, booking.registration_id, day)
    return JobFacts(booking.customer_id, category, booking.under_warranty, site)  # type: ignore[arg-type]


async def _unit(session: AsyncSession, registration_id: uuid.UUID | None, day: date) -> tuple[str | None, bool]:
    """The registered unit's catalogue category and whether its warranty runs on ``day``."""
    if registration_id is None:
        return None, False
    registration = await session.scalar(select(Registration).where(Registration.id == registration_id))
    if registration is None:
        return None, False
    category = await session.scalar(select(ProductModel.category).join(
        Serial, (Serial.model_id == ProductModel.id) & (Serial.tenant_id == ProductModel.tenant_id)).where(
        Serial.id == registration.serial_id))
    coverage = await current_coverage(session, registration)
    return category or None, coverage is not None and status_on(coverage, day) == "in_warranty"


async def get_visit(session: AsyncSession, visit_id: uuid.UUID, *, technician_id: uuid.UUID | None = None) -> Visit:
    """:raises NotFound: no such visit of the tenant (or, with ``technician_id``, not that technician's)."""
    query = select(Visit).where(Visit.id == visit_id)
    if technician_id is not None:
        query = query.where(Visit.technician_id == technician_id)
    visit = await session.scalar(query)
    if visit is None:
        raise NotFound("no such visit")
    return visit


async def list_visits(session: AsyncSession, *, day: date | None = None, state: str | None = None,
                      technician_id: uuid.UUID | None = None, flagged: bool | None = None,
                      request_id: uuid.UUID | None = None, limit: int = 500) -> list[Visit]:
    """The tenant's visits by day, window and route order, narrowed by each filter given (``flagged``: the
    visits left unplanned at their plan's cut-off)."""
    query = select(Visit).order_by(Visit.day, Visit.technician_id, Visit.route_order, Visit.window_start,
                                   Visit.id).limit(limit)
    if day is not None:
        query = query.where(Visit.day == day)
    if state is not None:
        query = query.where(Visit.state == state)
    if technician_id is not None:
        query = query.where(Visit.technician_id == technician_id)
    if request_id is not None:
        query = query.where(Visit.request_id == request_id)
    if flagged is not None:
        query = query.where(Visit.flagged_at.is_not(None) if flagged else Visit.flagged_at.is_(None))
    return list(await session.scalars(query))
