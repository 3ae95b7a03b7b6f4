"""A technician's day sheet: their visits of a day in route order, each with its customer, address, window,
state and on-site times, and the parts to bring (the job's open stock reservations, named in the reader's
language from the parts catalogue)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.dispatch.models import Technician, Visit, VisitState
from aftersales.dispatch.notices import customer_of
from aftersales.http.date_windows import check_schedule
from aftersales.identity.models import Customer
from aftersales.parts.models import StockReservation
from aftersales.service.quotes.models import PartPrice
from aftersales.tenancy.current import CurrentTenant

SHOWN = (VisitState.PLANNED, VisitState.FIXED, VisitState.ARRIVED, VisitState.STARTED, VisitState.FINISHED)


@dataclass(frozen=True)
class PartToBring:
    reservation_id: uuid.UUID
    part_id: uuid.UUID
    code: str
    name: str
    quantity: int
    condition: str
    location_id: uuid.UUID


@dataclass(frozen=True)
class SheetLine:
    visit: Visit
    customer: Customer
    parts: list[PartToBring]


@dataclass(frozen=True)
class DaySheet:
    technician: Technician
    day: date
    lines: list[SheetLine]


async def day_sheet(session: AsyncSession, tenant: CurrentTenant, technician: Technician, day: date,
                    locale: str) -> DaySheet:
    """The technician's visits of ``day`` in route order, with customers and the parts to bring.

    :raises InvalidInput: a day outside the schedule window (a year back, two years ahead).
    """
    check_schedule(day, "day", tenant.today())
    visits = list(await session.scalars(select(Visit).where(
        Visit.technician_id == technician.id, Visit.day == day, Visit.state.in_(SHOWN))
        .order_by(Visit.route_order, Visit.window_start, Visit.id)))
    lines = [SheetLine(visit, await customer_of(session, visit), await parts_to_bring(session, visit, locale))
             for visit in visits]
    return DaySheet(technician, day, lines)


async def parts_to_bring(session: AsyncSession, visit: Visit, locale: str) -> list[PartToBring]:
    """The job's open reservations: the parts the technician takes to the site."""
    job = (StockReservation.request_id == visit.request_id if visit.request_id is not None
           else StockReservation.booking_id == visit.booking_id)
    rows = await session.execute(
        select(StockReservation, PartPrice).join(PartPrice, (PartPrice.id == StockReservation.part_id)
                                                 & (PartPrice.tenant_id == StockReservation.tenant_id))
        .where(job, StockReservation.state == "open").order_by(PartPrice.code, StockReservation.id))
    return [PartToBring(reservation.id, part.id, part.code, (part.names or {}).get(locale) or part.name,
                        reservation.quantity, reservation.condition, reservation.location_id)
            for reservation, part in rows.all()]
