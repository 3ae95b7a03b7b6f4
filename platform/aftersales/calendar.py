"""A tenant's business calendar: the days it works, its opening hours, and time counted in them.

SLA clocks run on it: Mehr's "a result within 7 business days" and "complaints answered within 48 business
hours", Yizhongyi's "first contact within 2–4 h". Public holidays come from the ``holidays`` package for the
tenant's country (Nowruz and the Hijri holidays in Iran, Spring Festival and Golden Week in China, Orthodox
Christmas and Easter in Georgia); the tenant adds its weekend days, hours and own closures.

Instants in and out are aware datetimes; results are in UTC, ready to store. Durations are real elapsed
time, so an open day on which the clocks change is an hour shorter or longer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from aftersales.contract.values import BusinessCalendarInfo, TenantContext

_YEARS_PER_BLOCK = 10
_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)
_DAYS_KEPT = 4096
"""Days whose opening hours a calendar keeps (about eleven years); past that it starts again."""


@functools.lru_cache(maxsize=256)
def _public_holidays(country: str, block: int) -> holidays.HolidayBase:
    """The public holidays of ``country`` in the years of ``block`` (decades), built once per process.

    One year either side is included: the package files a day under the year whose rules produced it, e.g.
    a working weekend day of late December belongs to the next year's holiday schedule. ``expand=False``
    keeps the shared object read-only: a lookup never populates another year into it.
    """
    first = block * _YEARS_PER_BLOCK
    return holidays.country_holidays(
        country, years=range(first - 1, first + _YEARS_PER_BLOCK + 1), expand=False
    )


@functools.cache
def _has_public_holidays(country: str) -> bool:
    try:
        holidays.country_holidays(country, years=())
    except NotImplementedError:
        return False
    return True


def _minutes(text: str) -> int:
    """Minutes after midnight of ``"HH:MM"``; ``"24:00"`` is the midnight that ends the day."""
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"business hours must be HH:MM, not {text!r}")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > 24 * 60:
        raise ValueError(f"no such time of day: {text!r}")
    return value


def _hours(pair: tuple[str, str]) -> tuple[int, int]:
    opens, closes = (_minutes(text) for text in pair)
    if not opens < closes:
        raise ValueError(f"business hours {pair[0]}–{pair[1]}: opening must be before closing")
    return opens, closes


def _utc(instant: datetime, name: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, not a naive one")
    return instant.astimezone(UTC)


class BusinessCalendar:
    """When one tenant works, and arithmetic in its business days and business hours.

    A business day is a day that is not a weekend day, not a public holiday of the country and not a
    closure; a weekend day the government made a working day (China's 调休 Saturdays and Sundays, known
    to the ``holidays`` package once announced) is a business day with the usual hours. Opening hours
    are ``business_hours`` or, where given, ``hours_by_weekday``; an instant is open from opening up to,
    not including, closing.

    :raises ValueError: for an unknown country or time zone, malformed hours, hours given for a weekend
        day, or a week with no working day.
    """

    def __init__(self, info: BusinessCalendarInfo, time_zone: str) -> None:
        try:
            self.zone = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {time_zone!r}") from None
        if not _has_public_holidays(info.country):
            raise ValueError(f"no public-holiday calendar for country {info.country!r}")
        self.info = info
        self.weekend = frozenset(info.weekend_days)
        if not self.weekend <= set(range(1, 8)):
            raise ValueError(f"weekend days are ISO weekdays 1–7, not {sorted(self.weekend)}")
        if len(self.weekend) == 7:
            raise ValueError("a week with no working day has no business time")
        special = dict(info.hours_by_weekday or {})
        if clash := sorted(self.weekend.intersection(special)):
            raise ValueError(f"hours are given for weekend days {clash}")
        if unknown := sorted(set(special) - set(range(1, 8))):
            raise ValueError(f"hours_by_weekday keys are ISO weekdays 1–7, not {unknown}")
        usual = _hours(info.business_hours)
        self._hours = {
            weekday: _hours(special[weekday]) if weekday in special else usual for weekday in range(1, 8)
        }
        self._closures = frozenset(info.closures)
        self._openings: dict[date, tuple[datetime, datetime] | None] = {}
        """:meth:`opening_hours` by local date, as computed: every sum over days (an SLA clock planned, paused
        or resumed) asks again for the same few weeks."""

    @classmethod
    def for_tenant(cls, tenant: TenantContext) -> BusinessCalendar:
        """The calendar of the tenant a hook or service acts for."""
        return cls(tenant.calendar, tenant.time_zone)

    def is_business_day(self, day: date) -> bool:
        """Whether ``day`` (a local date of the tenant) is a working day: see the class docstring.

        :raises TypeError: for a datetime: take its date in the tenant's time zone first.
        """
        if isinstance(day, datetime):
            raise TypeError("is_business_day takes the tenant's local date, not a datetime")
        return self.opening_hours(day) is not None

    def opening_hours(self, day: date) -> tuple[datetime, datetime] | None:
        """When the tenant opens and closes on ``day`` (UTC instants), or None when it is not a business day."""
        try:
            return self._openings[day]
        except KeyError:
            pass
        if isinstance(day, datetime):
            raise TypeError("opening_hours takes the tenant's local date, not a datetime")
        opening = None
        if self._works_on(day):
            opens, closes = self._hours[day.isoweekday()]
            opening = self._wall(day, opens), self._wall(day, closes)
        if len(self._openings) >= _DAYS_KEPT:
            self._openings.clear()
        self._openings[day] = opening
        return opening

    def _works_on(self, day: date) -> bool:
        if day in self._closures:
            return False
        public = _public_holidays(self.info.country, day.year // _YEARS_PER_BLOCK)
        if day in public:
            return False
        # Not ``public.is_working_day(day)``: that judges by the country's weekend; a tenant keeps its own.
        return day.isoweekday() not in self.weekend or day in public.weekend_workdays

    def add_business_hours(self, start: datetime, hours: float | timedelta) -> datetime:
        """The instant ``hours`` of opening hours after ``start``, skipping nights, weekends and holidays.

        A start outside opening hours counts from the next opening; adding nothing to an open instant
        returns it. A duration that runs out exactly at closing time ends then, not at the next opening.

        :raises ValueError: for a naive ``start`` or a negative duration.
        """
        remaining = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
        if remaining < _ZERO:
            raise ValueError("business hours to add must not be negative")
        at = _utc(start, "start")
        for opens, closes in self._openings_from(self._local_date(at)):
            if closes <= at:
                continue
            begin = max(opens, at)
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
        raise AssertionError("unreachable: business days never run out")

    def add_business_days(self, start: datetime, days: int) -> datetime:
        """The same local time of day ``days`` business days after ``start``: the due instant of "within N
        business days".

        A start outside opening hours counts from the next opening (an intake after closing on Wednesday
        counts from Thursday's opening, so it is due at opening time N business days later). When the due
        day keeps other hours (a half-day Thursday), the time is moved into them: a 16:00 intake is due at
        that day's closing. ``days=0`` gives the start itself when open, else the next opening.

        :raises ValueError: for a naive ``start`` or a negative ``days``.
        """
        if days < 0:
            raise ValueError("business days to add must not be negative")
        begin = self.add_business_hours(start, _ZERO)
        if days == 0:
            return begin
        local = begin.astimezone(self.zone)
        day = local.date()
        for _ in range(days):
            day += _ONE_DAY
            while not self.is_business_day(day):
                day += _ONE_DAY
        opening = self.opening_hours(day)
        assert opening is not None
        same_time = datetime.combine(day, local.time(), tzinfo=self.zone).astimezone(UTC)
        return min(max(same_time, opening[0]), opening[1])

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Opening hours elapsed from ``start`` to ``end``; zero when ``end`` is not after ``start``.

        The inverse of :meth:`add_business_hours`: ``business_time_between(s, add_business_hours(s, h)) == h``.

        :raises ValueError: for naive datetimes.
        """
        begin, finish = _utc(start, "start"), _utc(end, "end")
        total = _ZERO
        if finish <= begin:
            return total
        day, last = self._local_date(begin), self._local_date(finish)
        while day <= last:
            if opening := self.opening_hours(day):
                total += max(_ZERO, min(opening[1], finish) - max(opening[0], begin))
            day += _ONE_DAY
        return total

    def business_days_between(self, start: date, end: date) -> int:
        """Whole business days from ``start`` to ``end``: e.g. Mehr's 30 business days at the service centre.

        For dates: the business days after ``start`` up to and including ``end``. For datetimes: the largest
        ``n`` with ``add_business_days(start, n) <= end``, so the two are inverses. Zero when ``end`` is not
        after ``start``.

        :raises TypeError: when one is a datetime and the other a plain date.
        :raises ValueError: for naive datetimes.
        """
        if isinstance(start, datetime) != isinstance(end, datetime):
            raise TypeError("business_days_between takes two dates or two datetimes, not one of each")
        if not isinstance(start, datetime):
            return self._count_business_days(start, end)
        assert isinstance(end, datetime)
        finish = _utc(end, "end")
        begin = self.add_business_hours(start, _ZERO)
        if finish <= begin:
            return 0
        days = self._count_business_days(self._local_date(begin), self._local_date(finish))
        while days and self.add_business_days(start, days) > finish:
            days -= 1
        return days

    def _count_business_days(self, after: date, through: date) -> int:
        count, day = 0, after + _ONE_DAY
        while day <= through:
            count += self.is_business_day(day)
            day += _ONE_DAY
        return count

    def _openings_from(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        while True:
            if opening := self.opening_hours(day):
                yield opening
            day += _ONE_DAY

    def _local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()

    def _wall(self, day: date, minutes: int) -> datetime:
        """The UTC instant of local wall time ``minutes`` after midnight of ``day`` (1440 = next midnight)."""
        day += timedelta(days=minutes // (24 * 60))
        minutes %= 24 * 60
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.zone).astimezone(UTC)
