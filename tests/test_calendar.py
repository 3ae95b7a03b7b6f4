"""The business calendar: fixed dates from the seed companies' countries, and properties of its arithmetic.

Holiday dates are those of the installed ``holidays`` package; China's 2027 schedule is the package's
estimate until the State Council announces it (no substituted working days yet).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from aftersales.calendar import BusinessCalendar
from aftersales.contract.values import BusinessCalendarInfo, PluginSettings, TenantContext

TEHRAN = ZoneInfo("Asia/Tehran")
SHANGHAI = ZoneInfo("Asia/Shanghai")
TBILISI = ZoneInfo("Asia/Tbilisi")
BERLIN = ZoneInfo("Europe/Berlin")

MEHR = BusinessCalendar(BusinessCalendarInfo("IR", (5,), ("08:00", "17:00")), "Asia/Tehran")
YIZHONGYI = BusinessCalendar(BusinessCalendarInfo("CN", (6, 7), ("08:30", "17:30")), "Asia/Shanghai")
GOLDEN_LASER = BusinessCalendar(BusinessCalendarInfo("GE", (6, 7), ("09:00", "18:00")), "Asia/Tbilisi")
TEHRAN_HALF_DAY_THURSDAY = BusinessCalendar(
    BusinessCalendarInfo("IR", (5,), ("08:00", "17:00"), hours_by_weekday={4: ("08:00", "13:00")}),
    "Asia/Tehran",
)
TEHRAN_ROUND_THE_CLOCK = BusinessCalendar(BusinessCalendarInfo("IR", (), ("00:00", "24:00")), "Asia/Tehran")
BERLIN_OFFICE = BusinessCalendar(BusinessCalendarInfo("DE", (6, 7), ("09:00", "17:00")), "Europe/Berlin")
BERLIN_ROUND_THE_CLOCK = BusinessCalendar(BusinessCalendarInfo("DE", (), ("00:00", "24:00")), "Europe/Berlin")


def tehran(*args: int) -> datetime:
    return datetime(*args, tzinfo=TEHRAN)  # type: ignore[misc]


def shanghai(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


def tbilisi(*args: int) -> datetime:
    return datetime(*args, tzinfo=TBILISI)  # type: ignore[misc]


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


# -- weekends ------------------------------------------------------------------------------------------------


def test_friday_is_the_weekend_in_tehran_and_saturday_is_a_working_day():
    assert not MEHR.is_business_day(date(2026, 5, 8))  # Friday
    assert MEHR.is_business_day(date(2026, 5, 7))  # Thursday
    assert MEHR.is_business_day(date(2026, 5, 9))  # Saturday


@pytest.mark.parametrize("calendar", [YIZHONGYI, GOLDEN_LASER], ids=["shanghai", "tbilisi"])
def test_saturday_and_sunday_are_the_weekend_in_shanghai_and_tbilisi(calendar):
    assert calendar.is_business_day(date(2026, 6, 12))  # Friday
    assert not calendar.is_business_day(date(2026, 6, 13))
    assert not calendar.is_business_day(date(2026, 6, 14))
    assert calendar.is_business_day(date(2026, 6, 15))  # Monday


# -- Iran: Mehr ----------------------------------------------------------------------------------------------


def test_seven_business_days_from_a_wednesday_intake_in_tehran_skip_fridays():
    assert MEHR.add_business_days(tehran(2026, 5, 6, 16), 7) == tehran(2026, 5, 14, 16)


@pytest.mark.parametrize("year", [2026, 2027])
def test_nowruz_closes_1_to_4_and_12_to_13_farvardin(year):
    for day in [*days(date(year, 3, 21), date(year, 3, 24)), date(year, 4, 1), date(year, 4, 2)]:
        assert not MEHR.is_business_day(day), day
    assert MEHR.is_business_day(date(year, 3, 25))


def test_seven_business_days_from_an_intake_before_nowruz_skip_the_holidays():
    # Thu 18 March counts; Friday, Oil Nationalization Day (29 Esfand) and 1–4 Farvardin do not.
    assert MEHR.add_business_days(tehran(2027, 3, 17, 10), 7) == tehran(2027, 3, 31, 10)


def test_a_holiday_inside_a_business_day_count_is_skipped():
    # Eid al-Adha, Wednesday 27 May 2026, falls inside the count.
    assert MEHR.add_business_days(tehran(2026, 5, 24, 9), 3) == tehran(2026, 5, 28, 9)


def test_an_intake_after_closing_counts_from_the_next_opening():
    assert MEHR.add_business_days(tehran(2026, 5, 6, 18), 7) == tehran(2026, 5, 16, 8)


def test_complaint_answered_within_48_business_hours_spans_the_friday_weekend():
    assert MEHR.add_business_hours(tehran(2026, 5, 6, 14), 48) == tehran(2026, 5, 12, 17)


def test_replacement_is_due_on_the_30th_business_day_in_service():
    intake = date(2026, 5, 2)
    assert MEHR.business_days_between(intake, date(2026, 6, 7)) == 29
    assert MEHR.business_days_between(intake, date(2026, 6, 8)) == 30
    assert MEHR.add_business_days(tehran(2026, 5, 2, 10), 30) == tehran(2026, 6, 8, 10)


def test_a_tenant_closure_is_not_a_business_day():
    closed = BusinessCalendar(
        BusinessCalendarInfo("IR", (5,), ("08:00", "17:00"), closures=(date(2026, 5, 10),)), "Asia/Tehran"
    )
    assert not closed.is_business_day(date(2026, 5, 10))
    assert closed.add_business_days(tehran(2026, 5, 6, 16), 7) == tehran(2026, 5, 16, 16)


def test_half_day_thursday_moves_a_later_due_time_to_its_closing():
    assert TEHRAN_HALF_DAY_THURSDAY.add_business_days(tehran(2026, 5, 6, 16), 1) == tehran(2026, 5, 7, 13)
    assert TEHRAN_HALF_DAY_THURSDAY.add_business_hours(tehran(2026, 5, 7, 12), 2) == tehran(2026, 5, 9, 9)
    assert TEHRAN_HALF_DAY_THURSDAY.business_time_between(
        tehran(2026, 5, 7), tehran(2026, 5, 8)
    ) == timedelta(hours=5)


def test_round_the_clock_hours_run_through_night_and_weekend_but_stop_on_public_holidays():
    assert TEHRAN_ROUND_THE_CLOCK.add_business_hours(tehran(2026, 5, 7, 22), 4) == tehran(2026, 5, 8, 2)
    # Eid al-Adha, 27 May 2026.
    assert TEHRAN_ROUND_THE_CLOCK.add_business_hours(tehran(2026, 5, 26, 22), 4) == tehran(2026, 5, 28, 2)


# -- China: Yizhongyi ----------------------------------------------------------------------------------------


def test_spring_festival_2026_closes_15_to_23_february():
    for day in days(date(2026, 2, 15), date(2026, 2, 23)):
        assert not YIZHONGYI.is_business_day(day), day
    assert YIZHONGYI.is_business_day(date(2026, 2, 24))


def test_substituted_working_weekend_days_of_2026_are_business_days():
    for day in [date(2026, 2, 14), date(2026, 2, 28), date(2026, 9, 20), date(2026, 10, 10)]:
        assert YIZHONGYI.is_business_day(day), day
    assert not YIZHONGYI.is_business_day(date(2026, 10, 11))  # an ordinary Sunday


def test_first_contact_within_4_business_hours_reaches_into_a_working_saturday_before_spring_festival():
    assert YIZHONGYI.add_business_hours(shanghai(2026, 2, 13, 16, 30), 4) == shanghai(2026, 2, 14, 11, 30)
    assert YIZHONGYI.add_business_hours(shanghai(2026, 2, 14, 16, 30), 4) == shanghai(2026, 2, 24, 11, 30)


def test_spring_festival_2027_closes_new_years_eve_and_the_first_days():
    for day in days(date(2027, 2, 5), date(2027, 2, 10)):
        assert not YIZHONGYI.is_business_day(day), day
    assert YIZHONGYI.is_business_day(date(2027, 2, 11))


def test_golden_week_2026_closes_1_to_7_october():
    for day in days(date(2026, 10, 1), date(2026, 10, 7)):
        assert not YIZHONGYI.is_business_day(day), day
    assert YIZHONGYI.is_business_day(date(2026, 10, 8))


def test_first_contact_within_4_business_hours_of_a_report_on_the_eve_of_golden_week():
    assert YIZHONGYI.add_business_hours(shanghai(2026, 9, 30, 15, 30), 4) == shanghai(2026, 10, 8, 10, 30)


# -- Georgia: Golden Laser -----------------------------------------------------------------------------------


def test_georgian_new_year_orthodox_christmas_national_unity_day_and_easter_are_closed():
    for day in [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 7), date(2026, 4, 9), date(2026, 4, 10)]:
        assert not GOLDEN_LASER.is_business_day(day), day
    assert not GOLDEN_LASER.is_business_day(date(2026, 4, 13))  # Easter Monday
    assert GOLDEN_LASER.is_business_day(date(2026, 1, 8))


def test_one_business_day_from_new_years_eve_in_tbilisi_is_the_monday_after():
    assert GOLDEN_LASER.add_business_days(tbilisi(2025, 12, 31, 12), 1) == tbilisi(2026, 1, 5, 12)
    assert GOLDEN_LASER.add_business_days(tbilisi(2026, 1, 5, 12), 2) == tbilisi(2026, 1, 8, 12)


def test_business_hours_from_the_eve_of_national_unity_day_resume_after_easter():
    assert GOLDEN_LASER.add_business_hours(tbilisi(2026, 4, 8, 17), 2) == tbilisi(2026, 4, 14, 10)


# -- time zones and daylight saving --------------------------------------------------------------------------


def test_a_business_day_keeps_the_local_time_of_day_across_berlin_clock_changes():
    assert BERLIN_OFFICE.add_business_days(berlin(2026, 3, 27, 10), 1) == datetime(2026, 3, 30, 8, tzinfo=UTC)
    assert BERLIN_OFFICE.add_business_days(berlin(2026, 10, 23, 10), 1) == datetime(
        2026, 10, 26, 9, tzinfo=UTC
    )


def test_round_the_clock_days_are_23_and_25_hours_long_when_berlin_changes_its_clocks():
    clock = BERLIN_ROUND_THE_CLOCK
    assert clock.business_time_between(berlin(2026, 3, 29), berlin(2026, 3, 30)) == timedelta(hours=23)
    assert clock.business_time_between(berlin(2026, 10, 25), berlin(2026, 10, 26)) == timedelta(hours=25)
    assert clock.add_business_hours(berlin(2026, 3, 28, 12), 24) == berlin(2026, 3, 29, 13)


def test_results_are_utc_and_do_not_depend_on_the_zone_of_the_input():
    due = MEHR.add_business_hours(tehran(2026, 5, 6, 14), 48)
    assert due.tzinfo is UTC
    assert MEHR.add_business_hours(tehran(2026, 5, 6, 14).astimezone(SHANGHAI), 48) == due


# -- edges and errors ----------------------------------------------------------------------------------------


def test_adding_nothing_outside_opening_hours_gives_the_next_opening():
    assert MEHR.add_business_hours(tehran(2026, 5, 8, 10), 0) == tehran(2026, 5, 9, 8)  # Friday
    assert MEHR.add_business_hours(tehran(2026, 5, 6, 17), 0) == tehran(2026, 5, 7, 8)  # at closing
    assert MEHR.add_business_days(tehran(2026, 5, 6, 7), 0) == tehran(2026, 5, 6, 8)


def test_hours_may_be_a_float_or_a_timedelta():
    start = tehran(2026, 5, 6, 9)
    assert MEHR.add_business_hours(start, 1.5) == MEHR.add_business_hours(start, timedelta(minutes=90))


def test_business_time_is_zero_when_the_end_is_not_after_the_start():
    assert MEHR.business_time_between(tehran(2026, 5, 6, 12), tehran(2026, 5, 6, 10)) == timedelta(0)
    assert MEHR.business_time_between(tehran(2026, 5, 8, 9), tehran(2026, 5, 8, 12)) == timedelta(0)  # Friday


def test_business_days_between_datetimes_counts_whole_days_only():
    intake = tehran(2026, 5, 6, 16)
    assert MEHR.business_days_between(intake, tehran(2026, 5, 14, 15, 59)) == 6
    assert MEHR.business_days_between(intake, tehran(2026, 5, 14, 16)) == 7
    assert MEHR.business_days_between(tehran(2026, 5, 14, 16), intake) == 0
    assert MEHR.business_days_between(date(2026, 5, 6), date(2026, 5, 14)) == 7


def test_naive_datetimes_and_mixed_arguments_are_refused():
    naive = datetime(2026, 5, 6, 16)
    with pytest.raises(ValueError, match="timezone-aware"):
        MEHR.add_business_hours(naive, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        MEHR.add_business_days(naive, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        MEHR.business_time_between(tehran(2026, 5, 6), naive)
    with pytest.raises(TypeError):
        MEHR.business_days_between(date(2026, 5, 6), tehran(2026, 5, 7))
    with pytest.raises(TypeError):
        MEHR.is_business_day(tehran(2026, 5, 7))
    with pytest.raises(ValueError, match="negative"):
        MEHR.add_business_hours(tehran(2026, 5, 6), -1)
    with pytest.raises(ValueError, match="negative"):
        MEHR.add_business_days(tehran(2026, 5, 6), -1)


@pytest.mark.parametrize(
    ("info", "time_zone", "message"),
    [
        (BusinessCalendarInfo("XX", (6, 7), ("09:00", "17:00")), "UTC", "country"),
        (BusinessCalendarInfo("IR", (5,), ("08:00", "17:00")), "Mars/Olympus", "time zone"),
        (BusinessCalendarInfo("IR", (5,), ("17:00", "08:00")), "Asia/Tehran", "before closing"),
        (BusinessCalendarInfo("IR", (5,), ("08:00", "24:30")), "Asia/Tehran", "no such time"),
        (BusinessCalendarInfo("IR", (5,), ("8am", "17:00")), "Asia/Tehran", "HH:MM"),
        (
            BusinessCalendarInfo("IR", (1, 2, 3, 4, 5, 6, 7), ("08:00", "17:00")),
            "Asia/Tehran",
            "no working day",
        ),
        (BusinessCalendarInfo("IR", (0,), ("08:00", "17:00")), "Asia/Tehran", "ISO weekdays"),
        (
            BusinessCalendarInfo("IR", (5,), ("08:00", "17:00"), hours_by_weekday={5: ("08:00", "12:00")}),
            "UTC",
            "weekend",
        ),
    ],
)
def test_an_impossible_calendar_is_refused(info, time_zone, message):
    with pytest.raises(ValueError, match=message):
        BusinessCalendar(info, time_zone)


def test_a_tenant_context_gives_its_calendar():
    tenant = TenantContext(
        id=uuid.uuid4(), slug="mehr", vertical="electronics", country="IR", currency="IRR",
        time_zone="Asia/Tehran", locales=("fa",), calendar=MEHR.info, settings=PluginSettings(),
    )  # fmt: skip
    calendar = BusinessCalendar.for_tenant(tenant)
    assert calendar.zone == TEHRAN
    assert calendar.add_business_days(tehran(2026, 5, 6, 16), 7) == tehran(2026, 5, 14, 16)


# -- properties ----------------------------------------------------------------------------------------------

CALENDARS = st.sampled_from(
    [MEHR, YIZHONGYI, GOLDEN_LASER, TEHRAN_HALF_DAY_THURSDAY, BERLIN_OFFICE, BERLIN_ROUND_THE_CLOCK]
)
INSTANTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
DURATIONS = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=200))


def is_open_or_closing(calendar: BusinessCalendar, instant: datetime) -> bool:
    """Whether ``instant`` lies in some opening (closing time included: a duration may end exactly then)."""
    local_day = instant.astimezone(calendar.zone).date()
    openings = [calendar.opening_hours(local_day), calendar.opening_hours(local_day - timedelta(1))]
    return any(o is not None and o[0] <= instant <= o[1] for o in openings)


@given(CALENDARS, INSTANTS, DURATIONS)
def test_business_time_between_undoes_add_business_hours(calendar, start, hours):
    assert calendar.business_time_between(start, calendar.add_business_hours(start, hours)) == hours


@given(CALENDARS, INSTANTS, INSTANTS, DURATIONS, DURATIONS)
def test_add_business_hours_is_monotonic_in_start_and_duration(calendar, start_a, start_b, hours_a, hours_b):
    start_a, start_b = sorted((start_a, start_b))
    hours_a, hours_b = sorted((hours_a, hours_b))
    assert calendar.add_business_hours(start_a, hours_a) <= calendar.add_business_hours(start_b, hours_a)
    assert calendar.add_business_hours(start_a, hours_a) <= calendar.add_business_hours(start_a, hours_b)


@given(CALENDARS, INSTANTS, DURATIONS.filter(lambda hours: hours > timedelta(0)), st.integers(1, 40))
def test_positive_durations_never_land_outside_opening_hours(calendar, start, hours, business_days):
    assert is_open_or_closing(calendar, calendar.add_business_hours(start, hours))
    assert is_open_or_closing(calendar, calendar.add_business_days(start, business_days))


@given(CALENDARS, st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.floats(0, 1, exclude_max=True))
def test_adding_nothing_to_an_open_instant_returns_it_unchanged(calendar, day, fraction):
    opening = calendar.opening_hours(day)
    assume(opening is not None)
    opens, closes = opening
    instant = opens + (closes - opens) * fraction
    assume(instant < closes)
    assert calendar.add_business_hours(instant, 0) == instant
    assert calendar.add_business_days(instant, 0) == instant


@given(CALENDARS, INSTANTS, st.integers(0, 40), st.integers(0, 40))
def test_business_days_between_undoes_add_business_days(calendar, start, business_days, more):
    due = calendar.add_business_days(start, business_days)
    assert calendar.business_days_between(start, due) == business_days
    assert due <= calendar.add_business_days(start, business_days + more)


@given(CALENDARS, INSTANTS, st.integers(0, 120 * 24 * 60), st.integers(0, 120 * 24 * 60))
def test_business_time_adds_up_over_consecutive_intervals(calendar, a, first_minutes, second_minutes):
    # Spans drawn as minutes after ``a`` (not three instants filtered by assume(), which Hypothesis's health
    # check sometimes refused for discarding too many draws).
    b = a + timedelta(minutes=first_minutes)
    c = b + timedelta(minutes=second_minutes)
    between = calendar.business_time_between
    assert between(a, b) + between(b, c) == between(a, c)
