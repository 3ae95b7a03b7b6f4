"""Donor units (Mehr's urgent parts): a replaced, scrapped or taken-in unit is registered once by its serial;
a technician harvests its usable parts, each part code once, and they enter stock as ``used`` receipts naming
the donor; an urgent job takes a used part only when no new one is available, with the customer's warranty for
a used part as the vertical gives it (``aftersales_used_part_terms``) noted on the request's timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.contract.values import UsedPartTerms
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.parts import ledger, reservations
from aftersales.parts.models import Condition, MovementKind, StockMovement, StockReservation
from aftersales.parts.supply.catalogue import check_quantity, clean_text, find_location, find_part
from aftersales.parts.supply.models import DonorHarvest, DonorSource, DonorUnit
from aftersales.parts.supply.terms import used_part_terms
from aftersales.service.models import ServiceRequest
from aftersales.service.states import FINAL, RequestState
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import Registration, Serial

_ = messages(CORE_DOMAIN)
MAX_SERIAL = 64
MAX_HARVEST_LINES = 100


@dataclass(frozen=True)
class DonorAsk:
    """A unit to register as a donor: by its registration (the serial is the registered unit's) or its serial."""

    source: str
    location_id: UUID
    serial: str | None = None
    registration_id: UUID | None = None
    note: str = ""


async def register(session: AsyncSession, tenant: CurrentTenant, ask: DonorAsk, *, actor: str,
                   now: datetime) -> DonorUnit:
    """Register a donor unit.

    :raises InvalidInput: every bad field at once. :raises Conflict: the unit is a donor already
        (``parts.donor_registered``), also when two registrations race.
    """
    errors: list[FieldError] = []
    if ask.source not in {s.value for s in DonorSource}:
        errors.append(FieldError("source", f"must be one of {', '.join(s.value for s in DonorSource)}"))
    await find_location(session, ask.location_id, "location_id", errors)
    note = clean_text(ask.note, "note", errors, required=False, limit=2000)
    serial = None
    if (ask.serial is None) == (ask.registration_id is None):
        errors.append(FieldError("serial", "give the unit's serial or its registration_id, one of them"))
    elif ask.registration_id is not None:
        serial = await session.scalar(select(Serial.serial).join(Registration, Registration.serial_id == Serial.id)
                                      .where(Registration.id == ask.registration_id))
        if serial is None:
            errors.append(FieldError("registration_id", "no such registration", code="parts.unknown_registration"))
    else:
        assert ask.serial is not None
        serial = clean_text(ask.serial, "serial", errors, required=True, limit=MAX_SERIAL).replace(" ", "").upper()
    if errors:
        raise InvalidInput("the donor unit cannot be registered", errors)
    assert serial is not None
    if await session.scalar(select(DonorUnit.id).where(DonorUnit.serial == serial)) is not None:
        raise _registered(serial)
    donor = DonorUnit(serial=serial, registration_id=ask.registration_id, source=ask.source,
                      location_id=ask.location_id, note=note, registered_by=actor, created_at=now)
    try:
        async with session.begin_nested():
            session.add(donor)
    except IntegrityError as error:  # a concurrent registration of the same serial committed first
        raise _registered(serial) from error
    return donor


def _registered(serial: str) -> Conflict:
    return Conflict(f"the unit {serial} is a donor already", code="parts.donor_registered",
                    params={"serial": serial})


@dataclass(frozen=True)
class HarvestLine:
    """A usable part a technician took from the donor, and how many."""

    part_id: UUID
    quantity: int


async def harvest(session: AsyncSession, donor_id: UUID, lines: Sequence[HarvestLine], *, actor: str,
                  now: datetime) -> list[DonorHarvest]:
    """Put the donor's usable parts into stock at its location as ``used`` receipts naming it.

    :raises InvalidInput: unknown parts, bad quantities, a part named twice (``lines.N.part_id``); nothing is
        written. :raises Conflict: a part of this donor was harvested already (``parts.harvested``).
    """
    donor = await get_donor(session, donor_id)
    errors: list[FieldError] = []
    if not 1 <= len(lines) <= MAX_HARVEST_LINES:
        errors.append(FieldError("lines", f"name 1 to {MAX_HARVEST_LINES} parts"))
    seen: set[UUID] = set()
    for n, line in enumerate(lines[:MAX_HARVEST_LINES]):
        await find_part(session, line.part_id, f"lines.{n}.part_id", errors)
        check_quantity(line.quantity, f"lines.{n}.quantity", errors)
        if line.part_id in seen:
            errors.append(FieldError(f"lines.{n}.part_id", "names a part already listed"))
        seen.add(line.part_id)
    if errors:
        raise InvalidInput("the parts cannot be harvested", errors)
    taken = set(await session.scalars(select(DonorHarvest.part_id).where(DonorHarvest.donor_unit_id == donor.id,
                                                                          DonorHarvest.part_id.in_(seen))))
    if taken:
        raise _harvested(donor)
    harvested = []
    try:
        async with session.begin_nested():
            for line in lines:
                receipt = await ledger.record(session, StockMovement(
                    part_id=line.part_id, location_id=donor.location_id, condition=Condition.USED.value,
                    kind=MovementKind.RECEIPT.value, on_hand_delta=line.quantity, reserved_delta=0,
                    donor_unit_id=donor.id, reason=f"harvested from donor unit {donor.serial}", actor=actor), now=now)
                harvested.append(DonorHarvest(donor_unit_id=donor.id, part_id=line.part_id, quantity=line.quantity,
                                              movement_id=receipt.id, harvested_by=actor, created_at=now))
                session.add(harvested[-1])
            await session.flush()
    except IntegrityError as error:  # a concurrent harvest of the same part committed first
        raise _harvested(donor) from error
    return harvested


def _harvested(donor: DonorUnit) -> Conflict:
    return Conflict(f"a part named was already harvested from donor unit {donor.serial}", code="parts.harvested")


async def get_donor(session: AsyncSession, donor_id: UUID) -> DonorUnit:
    """:raises NotFound: the session's tenant has no such donor unit."""
    donor = await session.scalar(select(DonorUnit).where(DonorUnit.id == donor_id))
    if donor is None:
        raise NotFound("no such donor unit")
    return donor


async def list_donors(session: AsyncSession) -> list[DonorUnit]:
    """Every donor unit, newest first."""
    return list(await session.scalars(select(DonorUnit).order_by(DonorUnit.created_at.desc(), DonorUnit.id)))


async def harvests_of(session: AsyncSession, donor_id: UUID) -> list[DonorHarvest]:
    """What was harvested from a donor unit, in order."""
    await get_donor(session, donor_id)
    return list(await session.scalars(select(DonorHarvest).where(DonorHarvest.donor_unit_id == donor_id)
                                      .order_by(DonorHarvest.created_at, DonorHarvest.id)))


@dataclass(frozen=True)
class UsedPartTaken:
    """A used part reserved for an urgent job, and the customer's warranty on it."""

    reservation: StockReservation
    terms: UsedPartTerms
    warranty_until: date | None
    """The last day (tenant-local) the customer's warranty on the used part runs; None without one."""


async def take_used(session: AsyncSession, tenant: CurrentTenant, *, request_id: UUID, part_id: UUID, quantity: int,
                    location_id: UUID, actor: str, now: datetime) -> UsedPartTaken:
    """Reserve a used (donor) part for an urgent repair when no new one is available at the location; the
    request's timeline notes that the part is used and the customer's warranty on it.

    :raises InvalidInput: unknown request, part or location; a bad quantity.
    :raises Conflict: new stock is available (``parts.new_available``: take that); the request has ended; not
        enough used stock (``parts.short``, from the ledger).
    """
    errors: list[FieldError] = []
    part = await find_part(session, part_id, "part_id", errors)
    check_quantity(quantity, "quantity", errors)
    await find_location(session, location_id, "location_id", errors)
    request = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == request_id))
    if request is None:
        errors.append(FieldError("request_id", "no such service request", code="parts.unknown_request"))
    if errors:
        raise InvalidInput("the used part cannot be taken", errors)
    assert part is not None and request is not None
    if RequestState(request.state) in FINAL:
        raise Conflict(f"the request is {request.state}; an ended request takes no parts", code="parts.request_ended")
    new = await reservations.available(session, part_id=part.id, location_id=location_id,
                                       condition=Condition.NEW.value)
    if new >= quantity:
        raise Conflict(f"{new} new {part.code} available here: take a new part", code="parts.new_available",
                       params={"available": new})
    held = await reservations.reserve(session, tenant, part_id=part.id, quantity=quantity, location_id=location_id,
                                      condition=Condition.USED.value, request_id=request.id, actor=actor, now=now)
    terms = used_part_terms(tenant, part)
    today = now.astimezone(tenant.calendar.zone).date()
    until = today + timedelta(days=terms.warranty_days) if terms.warranty_days else None
    terms_said = terms.reasons[0] if terms.reasons else ""
    what = {"quantity": quantity, "part": f"{part.code} ({part.name})", "terms": terms_said}
    reservations.on_timeline(session, request.id, _(
        "{quantity} × {part} taken used, from a donor unit; the customer's warranty on it runs until {until}: {terms}",
        until=until, **what) if until else _(
        "{quantity} × {part} taken used, from a donor unit; no warranty on it: {terms}", **what), actor=actor, now=now)
    return UsedPartTaken(reservation=held, terms=terms, warranty_until=until)
