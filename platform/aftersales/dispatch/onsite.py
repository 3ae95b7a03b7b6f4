"""A visit on site: the technician arrives (the request's ``on_site`` milestone, which meets its on-site clock),
starts, and finishes with the parts used (the job's reservations, issued through :mod:`aftersales.parts`) and the
customer's signature. Each step is on the request's
timeline; a step out of order is refused (409 ``dispatch.visit_out_of_order``)."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.dispatch import timeline
from aftersales.dispatch.models import Visit, VisitState
from aftersales.dispatch.technicians import MAX_NAME, text_errors
from aftersales.dispatch.visits import get_visit
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.parts.models import StockReservation
from aftersales.parts.reservations import issue
from aftersales.service.requests import services as requests
from aftersales.tenancy.current import CurrentTenant

PNG_DATA_URL = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 200_000
"""A signature drawn on a phone is a few kilobytes; 200 kB is generous and keeps a row small."""
MAX_PARTS_USED = 50


@dataclass(frozen=True)
class Finish:
    """What the technician records at the end: the customer's signature and name, and the job's reservations
    whose parts were used."""

    signature: str
    signed_by: str
    parts_used: tuple[tuple[uuid.UUID, int | None], ...] = ()
    """Each used reservation of the job, with how many of its parts were used (all without a number)."""


async def arrive(session: AsyncSession, tenant: CurrentTenant, visit_id: uuid.UUID, *, actor: str, now: datetime,
                 technician_id: uuid.UUID | None = None) -> Visit:
    """The technician is on site: the request's ``on_site`` milestone is recorded (its on-site clock met)."""
    visit = await _step(session, visit_id, technician_id, (VisitState.PLANNED, VisitState.FIXED), VisitState.ARRIVED)
    visit.arrived_at = now
    request_id = await timeline.request_of(session, visit)
    if request_id is not None:
        await requests.record_milestone(session, tenant, request_id, "on_site", actor=actor, note="", now=now)
    await session.flush()
    return visit


async def start(session: AsyncSession, visit_id: uuid.UUID, *, actor: str, now: datetime,
                technician_id: uuid.UUID | None = None) -> Visit:
    """The technician starts the work."""
    visit = await _step(session, visit_id, technician_id, (VisitState.ARRIVED,), VisitState.STARTED)
    visit.started_at = now
    await timeline.record(session, visit, "visit_started", actor=actor, now=now)
    await session.flush()
    return visit


async def finish(session: AsyncSession, visit_id: uuid.UUID, done: Finish, *, actor: str, now: datetime,
                 technician_id: uuid.UUID | None = None) -> tuple[Visit, list[StockReservation]]:
    """The technician finishes: the customer signs, and the parts used (the job's open reservations) are issued
    to the job. :raises InvalidInput: a bad signature, name or reservation (nothing written)."""
    visit = await get_visit(session, visit_id, technician_id=technician_id)
    errors = signature_errors(done.signature) + text_errors("signed_by", done.signed_by, MAX_NAME)
    if len(done.parts_used) > MAX_PARTS_USED:
        errors.append(FieldError("parts_used", f"at most {MAX_PARTS_USED} reservations",
                                 code="dispatch.too_many_parts", params={"limit": MAX_PARTS_USED}))
    reservations = await _reservations(session, visit, done.parts_used, errors)
    if errors:
        raise InvalidInput("the visit cannot be finished", errors)
    visit = await _step(session, visit_id, technician_id, (VisitState.STARTED,), VisitState.FINISHED)
    visit.finished_at, visit.signature_png, visit.signed_by = now, done.signature, done.signed_by.strip()
    issued = [await issue(session, reservation.id, quantity=quantity, actor=actor, now=now)
              for reservation, quantity in reservations]
    await timeline.record(session, visit, "visit_finished", actor=actor, now=now)
    await session.flush()
    return visit, issued


def signature_errors(signature: str) -> list[FieldError]:
    """A signature that is not a PNG data URL, or is larger than :data:`MAX_SIGNATURE_BYTES`."""
    def bad(reason: str, code: str) -> list[FieldError]:
        return [FieldError("signature", reason, code=f"dispatch.{code}", params={"limit": MAX_SIGNATURE_BYTES})]

    if not signature.startswith(PNG_DATA_URL):
        return bad("must be a PNG data URL (data:image/png;base64,…)", "signature_not_png")
    encoded = signature[len(PNG_DATA_URL):]
    if len(encoded) > MAX_SIGNATURE_BYTES * 4 // 3 + 4:
        return bad(f"must be at most {MAX_SIGNATURE_BYTES} bytes", "signature_too_large")
    try:
        image = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return bad("must be a PNG data URL (data:image/png;base64,…)", "signature_not_png")
    if not image.startswith(PNG_MAGIC):
        return bad("must be a PNG data URL (data:image/png;base64,…)", "signature_not_png")
    return []


async def _reservations(session: AsyncSession, visit: Visit, ids: tuple[tuple[uuid.UUID, int | None], ...],
                        errors: list[FieldError]) -> list[tuple[StockReservation, int | None]]:
    found: list[tuple[StockReservation, int | None]] = []
    seen: set[uuid.UUID] = set()
    for index, (reservation_id, quantity) in enumerate(ids):
        reservation = await session.scalar(select(StockReservation).where(
            StockReservation.id == reservation_id, StockReservation.state == "open",
            (StockReservation.request_id == visit.request_id) if visit.request_id is not None
            else (StockReservation.booking_id == visit.booking_id)))
        if reservation is None or reservation_id in seen:
            errors.append(FieldError(f"parts_used.{index}", "no open reservation of this job (or named twice)",
                                     code="dispatch.unknown_reservation"))
        elif quantity is not None and not 1 <= quantity <= reservation.quantity:
            errors.append(FieldError(f"parts_used.{index}.quantity", f"must be 1 to the {reservation.quantity} "
                                     "reserved", code="dispatch.quantity_out_of_range",
                                     params={"reserved": reservation.quantity}))
        else:
            found.append((reservation, quantity))
        seen.add(reservation_id)
    return found


async def _step(session: AsyncSession, visit_id: uuid.UUID, technician_id: uuid.UUID | None,
                allowed: tuple[VisitState, ...], target: VisitState) -> Visit:
    visit = await get_visit(session, visit_id, technician_id=technician_id)
    if visit.state not in allowed:
        raise Conflict(f"the visit is {visit.state}; it cannot be {target} now", code="dispatch.visit_out_of_order",
                       params={"state": visit.state, "target": target.value})
    visit.state = target
    return visit
