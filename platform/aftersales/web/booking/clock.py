"""Instants on booking pages as the customer reads them: the tenant's wall clock, the reader's calendar and digits.

Bookings are stored in UTC and happen in the tenant's time zone; the date comes from the page's formatter
(Jalali in Persian) and the time of day from CLDR through Babel (``14:30``, ``2:30 PM``, ``۱۴:۳۰``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_time

from aftersales.web.portal.rendering import Page


@dataclass(frozen=True)
class Clock:
    """Formats instants for one page in one tenant's time zone (templates call ``clock.when``, ``clock.date``, ``clock.time``)."""

    page: Page
    zone: ZoneInfo

    def local(self, instant: datetime) -> datetime:
        """``instant`` on the tenant's wall clock."""
        return instant.astimezone(self.zone)

    def day(self, instant: datetime) -> date:
        """The tenant-local day of ``instant``."""
        return self.local(instant).date()

    def date(self, instant: datetime) -> str:
        """The tenant-local date of ``instant`` in the reader's calendar."""
        return self.page.fmt.date(self.day(instant))

    def time(self, instant: datetime) -> str:
        """The tenant-local time of day of ``instant``, short, in the reader's digits."""
        return self.page.fmt.digits(format_time(self.local(instant).time(), format="short", locale=self.page.locale))

    def when(self, instant: datetime) -> str:
        """The tenant-local date and time of ``instant``, joined as the reader's language joins them."""
        pattern = self.page.translations.gettext("%(date)s, %(time)s")
        return pattern % {"date": self.date(instant), "time": self.time(instant)}
