"""Moments (stored in UTC) as the customer reads them: on the tenant's clock, in the page's calendar and digits.

:class:`~aftersales.web.i18n.formatting.LocaleFormat` formats calendar dates; a promise or a timeline event is an
instant, so it is first moved into the tenant's time zone (the day a Tehran customer is promised is Tehran's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_time

from aftersales.web.i18n.formatting import LocaleFormat


@dataclass(frozen=True)
class LocalTime:
    """Formats instants for one page: ``when.date(at)`` and ``when.moment(at)`` (date and hour)."""

    fmt: LocaleFormat
    zone: ZoneInfo

    def date(self, at: datetime) -> str:
        """The tenant-local day of ``at`` (Jalali with Persian digits in ``fa``)."""
        return self.fmt.date(at.astimezone(self.zone).date())

    def moment(self, at: datetime) -> str:
        """The tenant-local day and time of ``at``, joined as CLDR joins them for the locale."""
        local = at.astimezone(self.zone)
        clock = self.fmt.digits(format_time(local.time(), format="short", locale=self.fmt.locale))
        pattern = str(Locale.parse(self.fmt.locale).datetime_formats["medium"])  # CLDR: "{1}, {0}" in English
        return pattern.format(clock, self.fmt.date(local.date()))
