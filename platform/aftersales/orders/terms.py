"""The order desk's periods for a tenant, asked of its vertical (``aftersales_order_terms``), and the instants
the core computes from them in the tenant's calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aftersales.calendar import BusinessCalendar
from aftersales.contract.values import OrderTerms
from aftersales.tenancy.current import CurrentTenant


def order_terms(tenant: CurrentTenant) -> OrderTerms:
    """The tenant's order terms (the vertical's, else the core default)."""
    terms: OrderTerms = tenant.hooks.aftersales_order_terms(tenant=tenant.context)
    return terms


def proforma_valid_until(tenant: CurrentTenant, issued_at: datetime, business_days: int) -> datetime:
    """The end (local midnight) of the ``business_days``-th business day of a pro-forma issued at ``issued_at``,
    the issue day counting as the first when it is a business day: a holiday or weekend inside the period
    pushes the expiry by a day each."""
    calendar = BusinessCalendar.for_tenant(tenant.context)
    day = issued_at.astimezone(calendar.zone).date()
    counted = 0
    while True:
        if calendar.is_business_day(day):
            counted += 1
            if counted == business_days:
                break
        day += timedelta(days=1)
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=calendar.zone)


def last_valid_day(valid_until: datetime, zone: ZoneInfo) -> date:
    """The local day (in ``zone``) whose end is a pro-forma's ``valid_until``: the last day it can be paid, as
    pages and notices say it (``valid_until`` itself is the midnight after it)."""
    return (valid_until - timedelta(microseconds=1)).astimezone(zone).date()


def business_days_later(tenant: CurrentTenant, start: datetime, days: int) -> datetime:
    """The instant ``days`` business days after ``start`` in the tenant's calendar."""
    return BusinessCalendar.for_tenant(tenant.context).add_business_days(start, days)
