"""Where a request's unit is: taken in at a service point, on its way to another, at one, or back with the
customer. Read from the intake and the transfers (:class:`~aftersales.service.models.UnitIntake`,
:class:`~aftersales.service.models.UnitTransfer`), never stored, so it cannot drift from them."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, Message, messages
from aftersales.service.models import ServicePoint, ServiceRequest, UnitIntake, UnitTransfer
from aftersales.service.states import RequestState

_ = messages(CORE_DOMAIN)

HANDED_BACK = frozenset({RequestState.RETURNED, RequestState.CLOSED, RequestState.CANCELLED})
"""A request ending so gives the unit back to the customer (replaced and refunded units stay with the company)."""


class Whereabouts(enum.StrEnum):
    TAKEN_IN = "taken_in"
    AT_POINT = "at_point"
    IN_TRANSIT = "in_transit"
    WITH_CUSTOMER = "with_customer"


@dataclass(frozen=True)
class UnitLocation:
    """Where a unit is and since when; ``point`` is where it is (or is headed, in transit)."""

    state: Whereabouts
    since: datetime
    point: ServicePoint | None
    origin: ServicePoint | None = None
    """In transit: where it was sent from."""
    transfer: UnitTransfer | None = None
    """The leg that brought it (or is bringing it) to ``point``."""

    @property
    def missing(self) -> bool:
        return self.transfer is not None and self.transfer.received_at is None and self.transfer.missing_at is not None

    def sentence(self, zone: ZoneInfo) -> Message:
        """The location as a person reads it ("at the central workshop, Tehran, since 12 Dey"), dated in ``zone``."""
        since = self.since.astimezone(zone).date()
        if self.state is Whereabouts.WITH_CUSTOMER:
            return _("returned to the customer on {since}", since=since)
        assert self.point is not None
        name = self.point.name
        if self.state is Whereabouts.IN_TRANSIT:
            return _("on the way to {point} since {since}", point=name, since=since)
        if self.state is Whereabouts.TAKEN_IN:
            return _("taken in at {point} on {since}", point=name, since=since)
        if self.point.kind == "workshop":
            return _("at the central workshop, {point}, since {since}", point=name, since=since)
        return _("at the service office {point} since {since}", point=name, since=since)


async def location_of(session: AsyncSession, request: ServiceRequest) -> UnitLocation | None:
    """Where ``request``'s unit is; None when it was never taken in."""
    intake = await session.scalar(select(UnitIntake).where(UnitIntake.request_id == request.id))
    if intake is None:
        return None
    last = await session.scalar(select(UnitTransfer).where(UnitTransfer.request_id == request.id)
                                .order_by(UnitTransfer.sent_at.desc(), UnitTransfer.id.desc()).limit(1))
    points = await _points(session, {intake.service_point_id} | ({last.from_point_id, last.to_point_id} if last else set()))
    if last is not None and last.received_at is None:
        return UnitLocation(Whereabouts.IN_TRANSIT, last.sent_at, points[last.to_point_id],
                            origin=points[last.from_point_id], transfer=last)
    if RequestState(request.state) in HANDED_BACK and request.closed_at is not None:
        return UnitLocation(Whereabouts.WITH_CUSTOMER, request.closed_at, None)
    if last is not None:
        assert last.received_at is not None
        return UnitLocation(Whereabouts.AT_POINT, last.received_at, points[last.to_point_id], transfer=last)
    return UnitLocation(Whereabouts.TAKEN_IN, intake.taken_at, points[intake.service_point_id])


async def _points(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, ServicePoint]:
    return {p.id: p for p in await session.scalars(select(ServicePoint).where(ServicePoint.id.in_(ids)))}
