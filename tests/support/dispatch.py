"""Shared set-up for the dispatch tests: technicians (staff users with their own tokens), service requests with
a site, units in warranty, and visits, written through the services (their own API has tests of its own)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from aftersales.db.base import utcnow
from aftersales.dispatch import planning, visits
from aftersales.dispatch.models import Technician, TechnicianAuthorisation
from aftersales.identity.customers import CustomerDetails
from aftersales.identity.models import Customer, StaffUser
from aftersales.identity.services import staff_principal
from aftersales.service.requests import services as requests
from aftersales.tenancy.current import CurrentTenant, bind_tenant
from aftersales.warranty.models import ProductModel, Serial
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase

TEHRAN_CENTRE = (35.6892, 51.3890)
"""Azadi-Enghelab, central Tehran."""
KM_PER_DEGREE = 111.19508
"""Kilometres per degree of latitude on the haversine package's mean Earth radius (6371.0088 km)."""


def bound(runtime: Any, tenant: Any) -> CurrentTenant:
    """The tenant record bound to its plugins, as the services take it."""
    return tenant if isinstance(tenant, CurrentTenant) else bind_tenant(tenant, runtime.plugins)


def record(tenant: Any) -> Any:
    return tenant.record if isinstance(tenant, CurrentTenant) else tenant


def north_of(origin: tuple[float, float], km: float) -> tuple[float, float]:
    """The point ``km`` due north of ``origin``."""
    return origin[0] + km / KM_PER_DEGREE, origin[1]


def future_weekday(runtime: Any, tenant: Any, weekday: int, weeks_ahead: int = 2) -> date:
    """A ``weekday`` (0 Monday) some weeks after the tenant's today that is a business day."""
    current = bound(runtime, tenant)
    day = current.today() + timedelta(weeks=weeks_ahead)
    while day.weekday() != weekday or not current.calendar.is_business_day(day):
        day += timedelta(days=1)
    return day


async def add_technician(runtime: Any, tenant: Any, name: str, *, at: tuple[float, float] = TEHRAN_CENTRE,
                         skills: Iterable[str] = ("repair",), weekdays: Iterable[int] = range(7),
                         hours: tuple[int, int] = (8, 18), capacity: int = 4, active: bool = True,
                         authorised: dict[str, date] | None = None, email: str | None = None) -> uuid.UUID:
    """A technician who is a new staff user with the technician role."""
    tenant_id = record(tenant).id
    async with runtime.db.transaction(tenant_id) as s:
        staff = StaffUser(email=email or f"{uuid.uuid4().hex[:8]}@tech.example", name=name, roles=["technician"])
        s.add(staff)
        await s.flush()
        technician = Technician(name=name, staff_user_id=staff.id, skills=list(skills), home_latitude=at[0],
                                home_longitude=at[1], works_from=time(hours[0]), works_until=time(hours[1]),
                                weekdays=list(weekdays), daily_capacity=capacity, active=active)
        s.add(technician)
        await s.flush()
        for category, until in (authorised or {}).items():
            s.add(TechnicianAuthorisation(technician_id=technician.id, category=category, reference=f"AUTH-{name}",
                                          until=until))
        return technician.id


async def technician_token(runtime: Any, tenant: Any, technician_id: uuid.UUID) -> dict[str, str]:
    """The bearer header of the technician's own staff user."""
    async with runtime.db.transaction(record(tenant).id) as s:
        technician = await s.get(Technician, (record(tenant).id, technician_id))
        staff = await s.get(StaffUser, (record(tenant).id, technician.staff_user_id))
        principal = staff_principal(staff)
    return {"Authorization": f"Bearer {runtime.tokens.issue(principal)}"}


async def add_request(runtime: Any, tenant: Any, *, site: tuple[float, float] | None = TEHRAN_CENTRE,
                      registration_id: uuid.UUID | None = None, phone: str | None = "+98 912 000 0001",
                      locale: str | None = None, now: datetime | None = None) -> uuid.UUID:
    """An open repair request of a new customer (or the registration's owner) with its site."""
    current = bound(runtime, tenant)
    async with runtime.db.transaction(current.record.id) as s:
        customer = None if registration_id else CustomerDetails(name="Test Customer", phone=phone,
                                                                 email="customer@example.com")
        new = requests.NewRequest(kind="repair", channel="phone", summary="does not work", customer=customer,
                                  registration_id=registration_id, site_latitude=site[0] if site else None,
                                  site_longitude=site[1] if site else None)
        opened = await requests.open_request(s, current, new, actor="staff:test", now=now or utcnow())
        if locale is not None:
            (await s.get(Customer, (current.record.id, opened.customer_id))).locale = locale
        return opened.id


async def add_registered_unit(runtime: Any, tenant: Any, serial: str, *, category: str = "refrigerator",
                              sku: str = "RF-500", purchased_on: date | None = None) -> uuid.UUID:
    """A unit of a model of ``category`` registered to a new customer, bought ``purchased_on`` (a week ago)."""
    current = bound(runtime, tenant)
    async with runtime.db.transaction(current.record.id) as s:
        from sqlalchemy import select

        model = await s.scalar(select(ProductModel).where(ProductModel.sku == sku))
        if model is None:
            model = ProductModel(sku=sku, name=f"Model {sku}", category=category)
            s.add(model)
            await s.flush()
        s.add(Serial(serial=serial, model_id=model.id, status="in_stock", batch="B-1"))
        await s.flush()
        registered = await register_purchase(s, current, PurchaseDetails(
            serial=serial, purchased_on=purchased_on or current.today() - timedelta(days=7),
            owner=CustomerDetails(name="Maryam Karimi", phone="+98 912 000 0002"),
            invoice_number="F-1", price="250000000"), registered_by="staff:test", now=utcnow())
        return registered.registration.id


async def add_visit(runtime: Any, tenant: Any, day: date, *, request_id: uuid.UUID | None = None,
                    booking_id: uuid.UUID | None = None, window: tuple[int, int] = (9, 12), skill: str = "repair",
                    site: tuple[float, float] | None = None) -> uuid.UUID:
    """An unplanned visit for the request (a new one at ``site`` when none is given) on ``day``."""
    current = bound(runtime, tenant)
    if request_id is None and booking_id is None:
        request_id = await add_request(runtime, current, site=site or TEHRAN_CENTRE)
    async with runtime.db.transaction(current.record.id) as s:
        visit = await visits.create_visit(s, current, visits.NewVisit(
            day=day, window_start=time(window[0]), window_end=time(window[1]), skill=skill,
            address="Valiasr St. 12, Tehran", request_id=request_id, booking_id=booking_id,
            site_latitude=site[0] if site and booking_id is None else None,
            site_longitude=site[1] if site and booking_id is None else None), actor="staff:dispatcher", now=utcnow())
        return visit.id


async def plan(runtime: Any, tenant: Any, visit_id: uuid.UUID, technician_id: uuid.UUID, *,
               now: datetime | None = None, window: tuple[int, int] | None = None) -> Any:
    current = bound(runtime, tenant)
    async with runtime.db.transaction(current.record.id) as s:
        return await planning.plan_visit(
            s, current, visit_id, technician_id, window_start=time(window[0]) if window else None,
            window_end=time(window[1]) if window else None, actor="staff:dispatcher", now=now or utcnow())


async def add_staff(runtime: Any, tenant: Any, *roles: str) -> tuple[uuid.UUID, dict[str, str]]:
    """A staff user with ``roles``, and their bearer header."""
    async with runtime.db.transaction(record(tenant).id) as s:
        staff = StaffUser(email=f"{uuid.uuid4().hex[:8]}@staff.example", name="Staff " + "-".join(roles),
                          roles=list(roles))
        s.add(staff)
        await s.flush()
        principal = staff_principal(staff)
    return staff.id, {"Authorization": f"Bearer {runtime.tokens.issue(principal)}"}


PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAAB"
       "JRU5ErkJggg==")
"""A 1×1 PNG: a customer's signature as a phone's canvas sends it."""
