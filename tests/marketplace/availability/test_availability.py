"""Bookable slots: a provider's week and exceptions on the tenant's calendar (Carmax: Tehran, Friday weekend)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from aftersales.calendar import BusinessCalendar
from aftersales.contract.values import BusinessCalendarInfo
from aftersales.errors import InvalidInput
from aftersales.marketplace.availability.services import (
    DayException,
    ProviderWeek,
    WeeklyHours,
    check_bookable,
    free_starts,
    interval_errors,
    next_free_start,
    units,
)

TEHRAN = ZoneInfo("Asia/Tehran")
CARMAX = BusinessCalendar(BusinessCalendarInfo("IR", (5,), ("08:00", "17:00")), "Asia/Tehran")
SATURDAY_TO_THURSDAY = tuple(WeeklyHours(weekday, time(9), time(13)) for weekday in (0, 1, 2, 3, 5, 6))
HOUR = timedelta(hours=1)
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TEHRAN).astimezone(UTC)


def week(*, exceptions=(), taken=()) -> ProviderWeek:
    return ProviderWeek(SATURDAY_TO_THURSDAY, tuple(exceptions), frozenset(taken))


def test_an_hour_long_job_fits_until_an_hour_before_closing_on_the_quarter_hour_grid():
    starts = free_starts(CARMAX, week(), date(2026, 5, 4), HOUR, not_before=LONG_AGO)  # a Monday
    assert starts[0] == local(2026, 5, 4, 9, 0)
    assert starts[-1] == local(2026, 5, 4, 12, 0)
    assert len(starts) == 13  # 09:00 … 12:00 every 15 minutes


def test_held_units_block_every_start_that_would_overlap_them():
    taken = units(local(2026, 5, 4, 10, 0), HOUR)
    starts = free_starts(CARMAX, week(taken=taken), date(2026, 5, 4), HOUR, not_before=LONG_AGO)
    assert local(2026, 5, 4, 9, 0) in starts
    assert local(2026, 5, 4, 9, 15) not in starts  # would run into 10:00
    assert local(2026, 5, 4, 11, 0) in starts


def test_a_public_holiday_closes_the_marketplace_unless_the_provider_opens_that_day():
    nowruz = date(2026, 3, 22)  # a Sunday, Nowruz holiday in Iran
    assert free_starts(CARMAX, week(), nowruz, HOUR, not_before=LONG_AGO) == []
    opened = week(exceptions=[DayException(nowruz, time(10), time(12))])
    assert free_starts(CARMAX, opened, nowruz, HOUR, not_before=LONG_AGO) == [
        local(2026, 3, 22, 10, 0), local(2026, 3, 22, 10, 15), local(2026, 3, 22, 10, 30), local(2026, 3, 22, 10, 45),
        local(2026, 3, 22, 11, 0)]


def test_a_closed_exception_empties_the_day_and_the_next_free_slot_moves_on():
    monday = date(2026, 5, 4)
    closed = week(exceptions=[DayException(monday, None, None)])
    assert free_starts(CARMAX, closed, monday, HOUR, not_before=LONG_AGO) == []
    assert next_free_start(CARMAX, closed, HOUR, after=local(2026, 5, 4, 8, 0)) == local(2026, 5, 5, 9, 0)


def test_a_booking_is_refused_in_the_past_off_the_grid_and_past_closing():
    now = local(2026, 5, 4, 9, 30)
    check_bookable(CARMAX, week(), local(2026, 5, 4, 12, 0), HOUR, now=now)  # ends exactly at closing
    cases = {local(2026, 5, 4, 9, 0): "is in the past", local(2026, 5, 4, 10, 5): "15-minute grid",
             local(2026, 5, 4, 12, 15): "past closing", local(2026, 5, 8, 10, 0): "does not work then"}
    for starts_at, reason in cases.items():
        with pytest.raises(InvalidInput) as refused:
            check_bookable(CARMAX, week(), starts_at, HOUR, now=now)
        assert reason in refused.value.errors[0].reason
        assert refused.value.errors[0].field == "starts_at"


def test_opening_hours_must_be_on_the_grid_ordered_and_not_overlapping():
    assert interval_errors([(time(9), time(13)), (time(14), time(18))], "hours") == []
    assert interval_errors([(time(9), time(13)), (time(13), time(18))], "hours") == []  # touching is fine
    assert interval_errors([(time(9), time(13)), (time(12, 45), time(18))], "hours")[0].reason == \
        "intervals of one day overlap"
    assert interval_errors([(time(13), time(9))], "hours")[0].field == "hours.0"
    assert "grid" in interval_errors([(time(9, 10), time(13))], "hours")[0].reason
