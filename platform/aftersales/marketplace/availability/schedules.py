"""A provider's weekly hours and the days that differ from them, in the tenant's time zone.

The week is replaced whole (``PUT``): intervals on the 15-minute grid, closing after opening, none overlapping on
one weekday. A day's exceptions are replaced whole too: no intervals closes the day, intervals open it at those
hours instead of the week's (also on a public holiday, which otherwise closes the marketplace; see
:mod:`aftersales.marketplace.availability.services`). Days already past are history and cannot be changed. Bookings
already made keep their time: the provider settles them with the customer.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Sequence
from datetime import date, time

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import FieldError, InvalidInput
from aftersales.marketplace.availability.services import interval_errors
from aftersales.marketplace.models import ProviderException, ProviderHours

Interval = tuple[time, time]


def _renamed(errors: list[FieldError], prefix: str, positions: Sequence[int], whole: str) -> list[FieldError]:
    """``interval_errors`` names intervals by their place in one day's list; name them by their place in the body."""
    out = []
    for error in errors:
        head, _, index = error.field.rpartition(".")
        if head == prefix and index.isdigit():
            out.append(FieldError(f"{prefix}.{positions[int(index)]}", error.reason))
        else:
            out.append(FieldError(error.field, f"{whole}: {error.reason}"))
    return out


def week_errors(hours: Sequence[tuple[int, time, time]], field: str = "hours") -> list[FieldError]:
    """Why a week is unusable: a weekday outside 0 (Monday) to 6, intervals off the grid, reversed or overlapping."""
    errors = [FieldError(f"{field}.{i}", "weekday is 0 (Monday) to 6 (Sunday)")
              for i, (weekday, _, _) in enumerate(hours) if not 0 <= weekday <= 6]
    for weekday in range(7):
        positions = [i for i, h in enumerate(hours) if h[0] == weekday]
        pairs = [(hours[i][1], hours[i][2]) for i in positions]
        errors += _renamed(interval_errors(pairs, field), field, positions, calendar.day_name[weekday])
    return errors


async def week_of(session: AsyncSession, provider_id: uuid.UUID) -> list[ProviderHours]:
    """The provider's week, Monday first, earliest interval first."""
    return list(await session.scalars(select(ProviderHours).where(ProviderHours.provider_id == provider_id)
                                      .order_by(ProviderHours.weekday, ProviderHours.opens)))


async def replace_week(session: AsyncSession, provider_id: uuid.UUID,
                       hours: Sequence[tuple[int, time, time]]) -> list[ProviderHours]:
    """Replace the provider's week. :raises InvalidInput: every bad interval; the old week stays."""
    if errors := week_errors(hours):
        raise InvalidInput("invalid opening hours", errors)
    await session.execute(delete(ProviderHours).where(ProviderHours.provider_id == provider_id))
    session.add_all(ProviderHours(provider_id=provider_id, weekday=w, opens=o, closes=c) for w, o, c in hours)
    await session.flush()
    return await week_of(session, provider_id)


async def exceptions_of(session: AsyncSession, provider_id: uuid.UUID, *, since: date) -> list[ProviderException]:
    """The provider's exceptions from ``since`` on, by day and hour (a closed day has one row without hours)."""
    return list(await session.scalars(
        select(ProviderException).where(ProviderException.provider_id == provider_id, ProviderException.day >= since)
        .order_by(ProviderException.day, ProviderException.opens)))


def _past(day: date, today: date) -> list[FieldError]:
    return [FieldError("day", "is in the past")] if day < today else []


async def _clear_day(session: AsyncSession, provider_id: uuid.UUID, day: date) -> None:
    await session.execute(delete(ProviderException).where(ProviderException.provider_id == provider_id,
                                                          ProviderException.day == day))


async def set_day(session: AsyncSession, provider_id: uuid.UUID, day: date, intervals: Sequence[Interval], *,
                  reason: str, today: date) -> list[ProviderException]:
    """Make ``day`` differ from the week: closed (no intervals) or open at ``intervals`` only.

    :raises InvalidInput: a day in the past (the tenant's today is allowed), intervals off the grid, reversed or
        overlapping; nothing is changed.
    """
    if errors := _past(day, today) + interval_errors(list(intervals), "intervals"):
        raise InvalidInput("invalid exception", errors)
    await _clear_day(session, provider_id, day)
    rows = [ProviderException(provider_id=provider_id, day=day, opens=o, closes=c, reason=reason.strip())
            for o, c in intervals] or [ProviderException(provider_id=provider_id, day=day, reason=reason.strip())]
    session.add_all(rows)
    await session.flush()
    return rows


async def clear_day(session: AsyncSession, provider_id: uuid.UUID, day: date, *, today: date) -> None:
    """Let ``day`` follow the week again. :raises InvalidInput: a day in the past."""
    if errors := _past(day, today):
        raise InvalidInput("invalid exception", errors)
    await _clear_day(session, provider_id, day)
