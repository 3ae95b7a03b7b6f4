"""A tenant's weekly opening hours as a reader reads them: ``Sat–Wed 08:00–17:00 and Thu 08:00–13:00``.

What a request page says a business clock counts (issue 19 §2.5). Day names and the list's words are CLDR's
(Babel), the digits the reader's (Persian digits in ``fa``); the week starts on the day after the weekend, so an
Iranian office reads Saturday first and a European one Monday.
"""

from __future__ import annotations

from babel import Locale
from babel.lists import format_list

from aftersales.contract.values import BusinessCalendarInfo
from aftersales.i18n.formatting import LocaleFormat


def _first_working_day(weekend: set[int]) -> int:
    """The ISO weekday after the weekend (Saturday after an Iranian Friday); Monday for a week without one."""
    return next((day % 7 + 1 for day in sorted(weekend) if day % 7 + 1 not in weekend), 1)


def weekly_hours(calendar: BusinessCalendarInfo, fmt: LocaleFormat) -> str:
    """The working days grouped by their hours, in week order: consecutive days with the same hours form one
    range. Public holidays and closures are not listed (the clocks skip them too)."""
    names = Locale.parse(fmt.locale).days["format"]["abbreviated"]  # 0 = Monday, as Python's weekday()
    weekend, special = set(calendar.weekend_days), dict(calendar.hours_by_weekday or {})
    start = _first_working_day(weekend)
    runs: list[tuple[int, int, tuple[str, str]]] = []  # (first day, last day, hours); a weekend day ends a run
    previous_open = False
    for offset in range(7):
        day = (start - 1 + offset) % 7 + 1
        if day in weekend:
            previous_open = False
            continue
        hours = special.get(day, calendar.business_hours)
        if previous_open and runs[-1][2] == hours:
            runs[-1] = (runs[-1][0], day, hours)
        else:
            runs.append((day, day, hours))
        previous_open = True
    parts = [f"{names[first - 1] if first == last else f'{names[first - 1]}–{names[last - 1]}'} {opens}–{closes}"
             for first, last, (opens, closes) in runs]
    return fmt.digits(format_list(parts, locale=fmt.locale))
