"""Instants (stored in UTC) as a page's reader reads them: on the tenant's wall clock, in the reader's calendar,
digits and language.

:class:`~aftersales.i18n.formatting.LocaleFormat` formats calendar dates; a booking, a promise or a timeline
event is an instant, so it is first moved into the tenant's time zone (the day a Tehran customer is promised is
Tehran's). The time of day comes from CLDR through Babel (``14:30``, ``2:30 PM``, ``۱۴:۳۰``), and date and time are
joined as CLDR joins them for the locale. Every page area (portal, console) formats instants with this one class.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_time

from aftersales.i18n.formatting import LocaleFormat


@dataclass(frozen=True)
class Moments:
    """Formats instants for one page in one tenant's time zone (templates call ``date``, ``time``, ``when``)."""

    fmt: LocaleFormat
    zone: ZoneInfo

    def local(self, instant: datetime) -> datetime:
        """``instant`` on the tenant's wall clock."""
        return instant.astimezone(self.zone)

    def day(self, instant: datetime) -> date:
        """The tenant-local day of ``instant``."""
        return self.local(instant).date()

    def date(self, instant: datetime) -> str:
        """The tenant-local date of ``instant`` in the reader's calendar (Jalali with Persian digits in ``fa``)."""
        return self.fmt.date(self.day(instant))

    def time(self, instant: datetime) -> str:
        """The tenant-local time of day of ``instant``, short, in the reader's digits."""
        return self.fmt.digits(format_time(self.local(instant).time(), format="short", locale=self.fmt.locale))

    def when(self, instant: datetime) -> str:
        """The tenant-local date and time of ``instant``, joined as CLDR joins them (``{1}, {0}`` in English)."""
        pattern = str(Locale.parse(self.fmt.locale).datetime_formats["medium"])
        return pattern.format(self.time(instant), self.date(instant))

    moment = when
