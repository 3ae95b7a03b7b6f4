"""When a provider can be booked: its weekly hours and exceptions, on the tenant's calendar, cut into slots.

A provider keeps its own week (a workshop may open on the tenant's weekend). A public holiday or closure of the
tenant's calendar that falls on a working day of the tenant closes the marketplace, unless the provider declared
an exception that opens that day. An exception replaces the day's week: rows with hours open those hours, a row
without hours closes the whole day. Times are wall-clock times in the tenant's time zone; every instant this
module returns is UTC.

Bookings hold :data:`~aftersales.marketplace.models.SLOT_MINUTES` units (``BookedSlot``); a slot is free when
every unit it needs is free and it ends by the close of its opening interval.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.calendar import BusinessCalendar
from aftersales.errors import FieldError, InvalidInput
from aftersales.marketplace.models import SLOT_MINUTES, BookedSlot, ProviderException, ProviderHours

UNIT = timedelta(minutes=SLOT_MINUTES)
SEARCH_HORIZON_DAYS = 30
"""How far ahead the next free slot is looked for."""


@dataclass(frozen=True)
class WeeklyHours:
    """One opening interval of a provider's week (Monday = 0)."""

    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class DayException:
    """A day that differs from the week: ``opens``/``closes`` None means closed all day."""

    day: date
    opens: time | None
    closes: time | None


@dataclass(frozen=True)
class ProviderWeek:
    """What availability needs of one provider: its week, its exceptions and the units its bookings hold."""

    hours: tuple[WeeklyHours, ...]
    exceptions: tuple[DayException, ...]
    taken: frozenset[datetime]


def on_grid(moment: time) -> bool:
    """Whether a wall-clock time falls on the slot grid (every :data:`SLOT_MINUTES` from midnight)."""
    return moment.second == 0 and moment.microsecond == 0 and moment.minute % SLOT_MINUTES == 0


def _instant(calendar: BusinessCalendar, day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=calendar.zone).astimezone(UTC)


def _marketplace_closed(calendar: BusinessCalendar, day: date) -> bool:
    """A public holiday or tenant closure on one of the tenant's working weekdays."""
    return day.isoweekday() not in calendar.weekend and not calendar.is_business_day(day)


def working_intervals(calendar: BusinessCalendar, week: ProviderWeek, day: date) -> list[tuple[datetime, datetime]]:
    """The provider's opening intervals on the tenant-local ``day``, as UTC instants, earliest first."""
    exceptions = [e for e in week.exceptions if e.day == day]
    if exceptions:
        if any(e.opens is None or e.closes is None for e in exceptions):
            return []
        pairs = [(e.opens, e.closes) for e in exceptions]
    elif _marketplace_closed(calendar, day):
        return []
    else:
        pairs = [(h.opens, h.closes) for h in week.hours if h.weekday == day.weekday()]
    return sorted((_instant(calendar, day, o), _instant(calendar, day, c)) for o, c in pairs if o and c)


def units(starts_at: datetime, duration: timedelta) -> list[datetime]:
    """The slot units a booking of ``duration`` from ``starts_at`` holds (a started unit is held whole)."""
    count = max(1, math.ceil(duration / UNIT))
    return [starts_at + k * UNIT for k in range(count)]


def _starts(calendar: BusinessCalendar, week: ProviderWeek, day: date, duration: timedelta, *,
            not_before: datetime) -> Iterator[datetime]:
    for opens, closes in working_intervals(calendar, week, day):
        start = opens
        while start + duration <= closes:
            if start >= not_before and not week.taken.intersection(units(start, duration)):
                yield start
            start += UNIT


def free_starts(calendar: BusinessCalendar, week: ProviderWeek, day: date, duration: timedelta, *,
                not_before: datetime) -> list[datetime]:
    """Every start on ``day`` where a job of ``duration`` fits the provider's hours and no unit is taken."""
    return list(_starts(calendar, week, day, duration, not_before=not_before))


def next_free_start(calendar: BusinessCalendar, week: ProviderWeek, duration: timedelta, *, after: datetime,
                    horizon_days: int = SEARCH_HORIZON_DAYS) -> datetime | None:
    """The first free start at or after ``after`` within ``horizon_days``, or None."""
    first = after.astimezone(calendar.zone).date()
    for offset in range(horizon_days + 1):
        start = next(_starts(calendar, week, first + timedelta(days=offset), duration, not_before=after), None)
        if start is not None:
            return start  # the day's first: search asks this of every provider on its page
    return None


def bookable_errors(calendar: BusinessCalendar, week: ProviderWeek, starts_at: datetime, duration: timedelta, *,
                    now: datetime, field: str = "starts_at") -> list[FieldError]:
    """Why ``starts_at`` cannot be booked for ``duration`` (empty when it can), ignoring units already taken:
    those are the database's to refuse, so that of two racing bookings exactly one wins."""
    if starts_at.tzinfo is None:
        return [FieldError(field, "give the time with its UTC offset")]
    if starts_at <= now:
        return [FieldError(field, "is in the past")]
    local = starts_at.astimezone(calendar.zone)
    if not on_grid(local.time()):
        return [FieldError(field, f"bookings start on the {SLOT_MINUTES}-minute grid")]
    end = starts_at + duration
    if not any(opens <= starts_at and end <= closes for opens, closes in working_intervals(calendar, week, local.date())):
        return [FieldError(field, "the provider does not work then, or the job would run past closing")]
    return []


def check_bookable(calendar: BusinessCalendar, week: ProviderWeek, starts_at: datetime, duration: timedelta, *,
                   now: datetime) -> None:
    """:raises InvalidInput: the reason ``starts_at`` is not a bookable start (see :func:`bookable_errors`)."""
    if errors := bookable_errors(calendar, week, starts_at, duration, now=now):
        raise InvalidInput("that time cannot be booked", errors)


async def load_week(session: AsyncSession, provider_id: uuid.UUID, *, between: tuple[datetime, datetime]) -> ProviderWeek:
    """A provider's week, its exceptions and the units held between two instants, in three indexed reads."""
    start, end = between
    hours = await session.execute(select(ProviderHours.weekday, ProviderHours.opens, ProviderHours.closes)
                                  .where(ProviderHours.provider_id == provider_id))
    exceptions = await session.execute(
        select(ProviderException.day, ProviderException.opens, ProviderException.closes)
        .where(ProviderException.provider_id == provider_id,
               ProviderException.day >= (start - timedelta(days=1)).date(),
               ProviderException.day <= (end + timedelta(days=1)).date()))
    taken = await session.scalars(select(BookedSlot.starts_at).where(
        BookedSlot.provider_id == provider_id, BookedSlot.starts_at >= start - timedelta(days=1),
        BookedSlot.starts_at < end))
    return ProviderWeek(hours=tuple(WeeklyHours(*row) for row in hours),
                        exceptions=tuple(DayException(*row) for row in exceptions), taken=frozenset(taken))


def overlapping(intervals: Iterable[tuple[time, time]]) -> bool:
    """Whether any two wall-clock intervals of one day overlap (touching ends do not)."""
    ordered = sorted(intervals)
    return any(a[1] > b[0] for a, b in pairwise(ordered))


def interval_errors(pairs: Sequence[tuple[time, time]], field: str) -> list[FieldError]:
    """Why a day's opening intervals are unusable: off the grid, closing before opening, or overlapping."""
    errors = []
    for i, (opens, closes) in enumerate(pairs):
        if not (on_grid(opens) and on_grid(closes)):
            errors.append(FieldError(f"{field}.{i}", f"hours are on the {SLOT_MINUTES}-minute grid"))
        elif closes <= opens:
            errors.append(FieldError(f"{field}.{i}", "closes before it opens (split a night shift at midnight)"))
    if not errors and overlapping(pairs):
        errors.append(FieldError(field, "intervals of one day overlap"))
    return errors
