"""The day a dispatch page shows (``?day=``): the picker's ``2026-05-12`` or a Jalali date in any digits
(``۱۴۰۵/۰۹/۱۷``), within the schedule window around the tenant's today (:mod:`aftersales.http.date_windows`);
today when none is given."""

from __future__ import annotations

from datetime import date

import jdatetime

from aftersales.errors import InvalidInput
from aftersales.http.date_windows import check_schedule
from aftersales.i18n.formatting import JALALI_LOCALES, LocaleFormat
from aftersales.web.console.console_pages import Clock
from aftersales.web.console.dispatch.refusals import field_reasons
from aftersales.web.portal.account.forms import read_date


def chosen_day(typed: str, today: date, clock: Clock) -> tuple[date, str | None]:
    """The day asked for, or today with the reason the typed one was refused."""
    if not typed:
        return today, None
    day = read_date(typed)
    if day is None:
        return today, clock.page.translations.gettext("Enter the date as year-month-day.")
    try:
        check_schedule(day, "day", today)
    except InvalidInput as exc:
        return today, field_reasons(clock, exc)["day"]
    return day, None


def as_typed(day: date, fmt: LocaleFormat) -> str:
    """``day`` as the reader types it in the day field: ``1405/09/19`` in Persian digits where the calendar is
    Jalali, ``2026-12-10`` elsewhere (both read back by :func:`chosen_day`)."""
    if fmt.locale in JALALI_LOCALES:
        jalali = jdatetime.date.fromgregorian(date=day)
        return fmt.digits(f"{jalali.year}/{jalali.month:02d}/{jalali.day:02d}")
    return day.isoformat()
