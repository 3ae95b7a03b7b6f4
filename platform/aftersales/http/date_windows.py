"""The window of days each kind of date the API takes may fall in, checked before any service computes with it.

Python's dates end at 9999-12-31 and begin at 0001-01-01: a booking at ``9999-12-31T23:00:00Z`` or a provider's
day on ``0001-01-01`` made the calendar arithmetic behind it (the day after, the tenant's local day, the next free
slot) overflow into a 500 (``date value out of range``). No after-sales date is anywhere near those ends, so each
use has a window a person would name, and a date outside it is refused (422) with the field and the window:

* a **purchase** (``purchased_on``): not before :data:`EARLIEST_PURCHASE` (the future is the registration
  service's own rule, by the tenant's today);
* a **schedule** day or start (bookings, rescheduling, a provider's day, its slots, its exceptions, its day
  sheet): within :data:`SCHEDULE_PAST` before and :data:`SCHEDULE_AHEAD` after the tenant's today (the services
  refuse a past booking or a past exception themselves, inside that window);
* an **authorisation** end (``until``): within :data:`SCHEDULE_PAST` before and :data:`AUTHORISATION_AHEAD` after;
* a **filter** over stored records (``since``, ``until``, ``due_before``): between :data:`FILTER_EARLIEST` and
  :data:`FILTER_LATEST`, wide enough for "everything" (``since=1970-01-01``), narrow enough that moving it to UTC
  or the tenant's zone cannot leave the calendar.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from aftersales.errors import FieldError, InvalidInput

EARLIEST_PURCHASE = date(1990, 1, 1)
"""No unit the platform serves was sold before 1990."""
SCHEDULE_PAST = timedelta(days=366)
"""How far back a schedule may be read (a year of a provider's days)."""
SCHEDULE_AHEAD = timedelta(days=2 * 366)
"""How far ahead anything may be booked or scheduled: two years."""
AUTHORISATION_AHEAD = timedelta(days=50 * 366)
"""How far ahead a provider's authorisation may run: fifty years (none for no end)."""
FILTER_EARLIEST = date(1900, 1, 1)
FILTER_LATEST = date(2200, 12, 31)
CODE = "date.out_of_window"


def window_problems(value: date | datetime, field: str, earliest: date, latest: date) -> list[FieldError]:
    """The refusal of ``value`` (a date, or a datetime by its UTC day) outside ``earliest`` … ``latest``."""
    day = value.date() if isinstance(value, datetime) else value
    if earliest <= day <= latest:
        return []
    return [FieldError(field, f"must be between {earliest.isoformat()} and {latest.isoformat()}", code=CODE,
                       params={"earliest": earliest.isoformat(), "latest": latest.isoformat()})]


def check_schedule(value: date | datetime, field: str, today: date) -> None:
    """Refuse a schedule day or start outside a year back and two years ahead of ``today`` (the tenant's).

    :raises InvalidInput: naming ``field`` and the window; nothing was read or written yet.
    """
    problems = window_problems(value, field, today - SCHEDULE_PAST, today + SCHEDULE_AHEAD)
    if problems:
        raise InvalidInput(f"{field} is too far away", problems, code=CODE)


def check_authorisation_end(value: date | None, field: str, today: date) -> None:
    """Refuse an authorisation end outside a year back and fifty years ahead of ``today``.

    :raises InvalidInput: naming ``field`` and the window.
    """
    problems = window_problems(value, field, today - SCHEDULE_PAST, today + AUTHORISATION_AHEAD) if value else []
    if problems:
        raise InvalidInput(f"{field} is too far away", problems, code=CODE)


def check_filters(**filters: date | datetime | None) -> None:
    """Refuse every filter (by its name) outside :data:`FILTER_EARLIEST` … :data:`FILTER_LATEST`.

    :raises InvalidInput: naming each such filter and the window.
    """
    problems = [problem for name, value in filters.items() if value is not None
                for problem in window_problems(value, name, FILTER_EARLIEST, FILTER_LATEST)]
    if problems:
        raise InvalidInput("a date filter is too far away", problems, code=CODE)
