"""The tenant's dispatch terms, asked of its vertical (``aftersales_dispatch_terms``), and the instant a day's
plan is fixed: the cut-off hour on the last business day before that day, in the tenant's time zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from aftersales.calendar import BusinessCalendar
from aftersales.contract.values import DispatchTerms
from aftersales.tenancy.current import CurrentTenant

MAX_DAYS_BACK = 60
"""How far back a plan's cut-off day is looked for: more than any run of holidays (Nowruz, the Spring Festival)."""


def dispatch_terms(tenant: CurrentTenant) -> DispatchTerms:
    """The tenant's dispatch terms (the vertical's, else the core default)."""
    terms: DispatchTerms = tenant.hooks.aftersales_dispatch_terms(tenant=tenant.context)
    return terms


def cutoff_day(calendar: BusinessCalendar, day: date) -> date:
    """The last business day before ``day``: the visit on the day after a holiday is planned before the holiday.
    A calendar with no business day in :data:`MAX_DAYS_BACK` days gives the day before."""
    before = day - timedelta(days=1)
    for back in range(MAX_DAYS_BACK):
        candidate = before - timedelta(days=back)
        if calendar.is_business_day(candidate):
            return candidate
    return before


def plan_cutoff(tenant: CurrentTenant, day: date, terms: DispatchTerms | None = None) -> datetime | None:
    """When the plan of ``day`` is fixed (an aware instant), or None when the vertical sets no cut-off."""
    terms = terms or dispatch_terms(tenant)
    if terms.plan_cutoff_hour is None:
        return None
    calendar = tenant.calendar
    return datetime.combine(cutoff_day(calendar, day), time(terms.plan_cutoff_hour), tzinfo=calendar.zone)


def local_instant(tenant: CurrentTenant, day: date, wall: time) -> datetime:
    """The aware instant of wall-clock ``wall`` on ``day`` in the tenant's time zone."""
    return datetime.combine(day, wall, tzinfo=tenant.calendar.zone)
