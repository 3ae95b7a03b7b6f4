"""Sending a taken-in unit to another service point and receiving it there (issue 20 §2; Mehr: to the central
workshop or the nearest service office and back). Each leg carries a waybill and carrier, who sent and who
received it and when, and the time it is expected by: the vertical's business days
(``IntakeChecklist.transfer_expected_business_days``) counted in the tenant's calendar from the sending.

A unit is sent from where it is (never while on its way, never to where it is); a request has at most one leg
on its way (a partial unique index decides a race). Times given for a leg are checked against the unit's history:
a unit is not sent before it reached its point, nor received before it was sent, nor either in the future.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.control_characters import text_problems
from aftersales.service.intake.services import checklist_for
from aftersales.service.models import RequestEvent, ServicePoint, UnitTransfer
from aftersales.service.requests.location import Whereabouts, location_of
from aftersales.service.requests.services import get_request
from aftersales.service.states import FINAL, RequestState
from aftersales.service.transfers.notices import tell_back_at_office
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)

MAX_WAYBILL = 60
MAX_CARRIER = 100
CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of the server's clock a time given for a leg may be (a phone's clock runs a little fast)."""
TransferState = Literal["in_transit", "received", "missing"]


@dataclass(frozen=True)
class TransferAsked:
    """A leg as staff send it: where to, the waybill and the carrier, and when it left (now when not given)."""

    to_point_id: UUID
    waybill: str
    carrier: str
    sent_at: datetime | None = None


async def send_unit(session: AsyncSession, tenant: CurrentTenant, request_id: UUID, asked: TransferAsked, *,
                    actor: str, now: datetime) -> UnitTransfer:
    """Send the request's unit from the point it is at to another.

    :raises NotFound: no such request. :raises Conflict: it ended, its unit was never taken in, is on its way or
        is back with the customer. :raises InvalidInput: an unknown or retired point, the point it is at, an empty
        or too long waybill or carrier, a time in the future or before the unit reached its point.
    """
    request = await get_request(session, request_id)
    if RequestState(request.state) in FINAL:
        raise Conflict(f"request #{request.number} is {request.state}; its unit is not sent anywhere",
                       code="transfer.request_ended", params={"state": request.state})
    where = await location_of(session, request)
    if where is None:
        raise Conflict(f"the unit of request #{request.number} was never taken in", code="transfer.not_taken_in")
    if where.state is Whereabouts.IN_TRANSIT:
        raise Conflict(f"the unit of request #{request.number} is on its way already", code="transfer.in_transit")
    assert where.point is not None
    to_point = await session.scalar(select(ServicePoint).where(ServicePoint.id == asked.to_point_id))
    errors: list[FieldError] = []
    if to_point is None or not to_point.active:
        errors.append(FieldError("to_point_id", "is not one of the company's active service points",
                                 code="transfer.unknown_point"))
    elif to_point.id == where.point.id:
        errors.append(FieldError("to_point_id", "is where the unit is", code="transfer.same_point"))
    waybill, carrier = asked.waybill.strip(), asked.carrier.strip()
    errors += _text_errors("waybill", waybill, MAX_WAYBILL) + _text_errors("carrier", carrier, MAX_CARRIER)
    sent_at = asked.sent_at or now
    errors += _time_errors("sent_at", sent_at, not_before=where.since, now=now)
    if errors:
        raise InvalidInput("the unit cannot be sent", errors)
    assert to_point is not None
    days = (await checklist_for(session, tenant, request)).transfer_expected_business_days
    transfer = UnitTransfer(request_id=request.id, from_point_id=where.point.id, to_point_id=to_point.id,
                            waybill=waybill, carrier=carrier, sent_at=sent_at, sent_by=actor,
                            expected_by=tenant.calendar.add_business_days(sent_at, days))
    try:
        async with session.begin_nested():
            session.add(transfer)
            await session.flush()
    except IntegrityError:
        raise Conflict(f"the unit of request #{request.number} is on its way already",
                       code="transfer.in_transit") from None
    zone = tenant.calendar.zone
    session.add(RequestEvent(request_id=request.id, occurred_at=sent_at, actor=actor, kind="transfer_sent", note=_(
        "sent from {origin} to {point} by {carrier}, waybill {waybill}; expected by {expected}",
        origin=where.point.name, point=to_point.name, carrier=carrier, waybill=waybill,
        expected=transfer.expected_by.astimezone(zone).date())))
    await session.flush()
    return transfer


async def receive_unit(session: AsyncSession, tenant: CurrentTenant, request_id: UUID, transfer_id: UUID, *,
                       received_at: datetime | None, actor: str, now: datetime) -> UnitTransfer:
    """Record the unit's arrival at the leg's destination (a unit reported missing may still arrive); a unit back
    from the workshop at a service office is told to its customer (:mod:`.notices`).

    :raises NotFound: no such request, or no such leg of it. :raises Conflict: the leg was received already.
    :raises InvalidInput: a time in the future or before the leg was sent.
    """
    request = await get_request(session, request_id)
    transfer = await session.scalar(select(UnitTransfer).where(UnitTransfer.id == transfer_id,
                                                               UnitTransfer.request_id == request.id)
                                    .with_for_update())
    if transfer is None:
        raise NotFound("no such transfer")
    if transfer.received_at is not None:
        raise Conflict(f"this transfer was received at {transfer.received_at.isoformat()}",
                       code="transfer.received_already")
    at = received_at or now
    errors = _time_errors("received_at", at, not_before=transfer.sent_at, now=now)
    if errors:
        raise InvalidInput("the unit cannot be received", errors)
    transfer.received_at, transfer.received_by = at, actor
    points = {p.id: p for p in await session.scalars(select(ServicePoint).where(
        ServicePoint.id.in_({transfer.from_point_id, transfer.to_point_id})))}
    point = points[transfer.to_point_id]
    session.add(RequestEvent(request_id=request.id, occurred_at=at, actor=actor, kind="transfer_received",
                             note=_("received at {point} (waybill {waybill})", point=point.name,
                                    waybill=transfer.waybill)))
    await tell_back_at_office(session, tenant, request, transfer, points[transfer.from_point_id], point, now)
    await session.flush()
    return transfer


async def transfers_of(session: AsyncSession, request_id: UUID) -> list[UnitTransfer]:
    """The request's legs, first sent first. :raises NotFound: no such request."""
    request = await get_request(session, request_id)
    return list(await session.scalars(select(UnitTransfer).where(UnitTransfer.request_id == request.id)
                                      .order_by(UnitTransfer.sent_at, UnitTransfer.id)))


async def service_points(session: AsyncSession) -> list[ServicePoint]:
    """Every service point of the tenant, retired ones too, by name (a leg may name a retired one)."""
    return list(await session.scalars(select(ServicePoint).order_by(ServicePoint.name)))


def in_state(state: TransferState | None) -> Select[tuple[UnitTransfer]]:
    """Legs on their way, received, or reported missing and still not received."""
    query = select(UnitTransfer)
    if state == "received":
        return query.where(UnitTransfer.received_at.is_not(None))
    if state == "in_transit":
        return query.where(UnitTransfer.received_at.is_(None))
    if state == "missing":
        return query.where(UnitTransfer.received_at.is_(None), UnitTransfer.missing_at.is_not(None))
    return query


def transfer_state(transfer: UnitTransfer) -> TransferState:
    if transfer.received_at is not None:
        return "received"
    return "missing" if transfer.missing_at is not None else "in_transit"


def _text_errors(field: str, value: str, limit: int) -> list[FieldError]:
    if not value:
        return [FieldError(field, "must not be empty", code="transfer.empty")]
    if len(value) > limit:
        return [FieldError(field, f"must be at most {limit} characters", code="transfer.too_long",
                           params={"limit": limit})]
    return text_problems(value, field)


def _time_errors(field: str, at: datetime, *, not_before: datetime, now: datetime) -> list[FieldError]:
    if at > now + CLOCK_SKEW:
        return [FieldError(field, "must not be in the future", code="transfer.time_in_future")]
    if at < not_before:
        return [FieldError(field, f"must not be before {not_before.isoformat()}, when the unit got there",
                           code="transfer.time_before_arrival", params={"earliest": not_before.isoformat()})]
    return []
