"""A dispatch day for the dispatch pages' tests: an Entekhab tenant in Tehran (``support.order_pages``) with
technicians (staff users with a technician record) and on-site visits for customers' repair requests, made
through the request, dispatch and stock services (technicians as rows, as ``support.dispatch`` makes them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import select

from aftersales.accounts.services import create_staff
from aftersales.db.base import utcnow
from aftersales.dispatch import planning, visits
from aftersales.dispatch.models import Technician, Visit
from aftersales.identity.customers import CustomerDetails
from aftersales.parts import locations, movements, reservations
from aftersales.service.quotes.models import PartPrice
from aftersales.service.requests import services as requests
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant

VANAK = (35.7575, 51.4100)
"""Vanak square, Tehran: the first technician's home base."""
TAJRISH = (35.8043, 51.4330)
"""Tajrish, north Tehran: the second technician's home base (about 5 km from Vanak)."""
SITE = (35.7600, 51.4150)
"""A customer's flat near Vanak."""


async def current(runtime: Any, tenant: Any) -> Any:
    """``tenant`` bound to its plugins, as a request sees it."""
    async with runtime.db.platform_session() as s:
        return bind_tenant(await s.scalar(select(Tenant).where(Tenant.id == tenant.id)), runtime.plugins)


@dataclass(frozen=True)
class Crew:
    """A technician made for a test: the technician record and the staff user who signs in as them."""

    technician_id: uuid.UUID
    staff_id: uuid.UUID
    email: str


async def add_technician(runtime: Any, tenant: Any, name: str, *, home: tuple[float, float] = VANAK,
                         skills: tuple[str, ...] = ("fridge",), capacity: int = 6,
                         staff_id: uuid.UUID | None = None) -> Crew:
    """A technician working 08:00–18:00 every day: the staff user ``staff_id`` (one signed in with
    ``sign_in_staff(pages, tenant, "technician")``), or a new staff user with the technician role."""
    async with runtime.db.transaction(tenant.id) as s:
        if staff_id is None:
            email = f"tech-{uuid.uuid4().hex[:6]}@{tenant.slug}-demo.com"
            staff_id = (await create_staff(s, email=email, name=name, roles=["technician"], password=None)).id
        else:
            email = ""
        technician = Technician(name=name, staff_user_id=staff_id, skills=list(skills), home_latitude=home[0],
                                home_longitude=home[1], works_from=time(8), works_until=time(18),
                                weekdays=list(range(7)), daily_capacity=capacity, active=True)
        s.add(technician)
        await s.flush()
        return Crew(technician.id, staff_id, email)


async def add_visit(runtime: Any, tenant: Any, day: date, *, customer: str = "Maryam Karimi",
                    phone: str | None = None, technician_id: uuid.UUID | None = None, state: str = "unplanned",
                    window: tuple[int, int] = (9, 12), site: tuple[float, float] = SITE,
                    address: str = "تهران، خیابان ونک، پلاک ۱۲") -> tuple[uuid.UUID, uuid.UUID]:
    """A repair request of a new customer and its visit on ``day``, taken by a dispatcher through the services;
    ``state`` ``planned`` plans it to ``technician_id``, ``fixed`` then fixes the day's plan: (visit id,
    customer id)."""
    bound = await current(runtime, tenant)
    async with runtime.db.transaction(tenant.id) as s:
        opened = await requests.open_request(s, bound, requests.NewRequest(
            kind="repair", channel="phone", summary="the fridge does not cool",
            customer=CustomerDetails(name=customer, phone=phone, email=f"{uuid.uuid4().hex[:8]}@example.com")),
            actor="test", now=utcnow())
        visit = await visits.create_visit(s, bound, visits.NewVisit(
            day=day, window_start=time(window[0]), window_end=time(window[1]), skill="fridge", address=address,
            request_id=opened.id, site_latitude=site[0], site_longitude=site[1]), actor="staff:dispatcher",
            now=utcnow())
        if state in ("planned", "fixed"):
            assert technician_id is not None
            await planning.plan_visit(s, bound, visit.id, technician_id, actor="staff:dispatcher", now=utcnow())
        if state == "fixed":
            await planning.fix_day(s, bound, day, actor="staff:dispatcher", now=utcnow())
        return visit.id, opened.customer_id


async def visit_of(runtime: Any, tenant: Any, visit_id: uuid.UUID) -> Visit:
    """The visit as stored now."""
    async with runtime.db.transaction(tenant.id) as s:
        found = await s.scalar(select(Visit).where(Visit.id == visit_id))
        assert found is not None
        s.expunge(found)
        return found


async def add_reservation(runtime: Any, tenant: Any, visit_id: uuid.UUID, technician_id: uuid.UUID, *,
                          quantity: int = 2) -> uuid.UUID:
    """A compressor (named in Persian too) received into the technician's van and reserved there for the visit's
    request, through the stock services: the reservation's id."""
    bound = await current(runtime, tenant)
    async with runtime.db.transaction(tenant.id) as s:
        visit = await s.scalar(select(Visit).where(Visit.id == visit_id))
        assert visit is not None
        part = PartPrice(code=f"COMP-{uuid.uuid4().hex[:4]}", name="Compressor", names={"fa": "کمپرسور"},
                         price_minor=9_000_000, currency="IRR", updated_by="test")
        s.add(part)
        await s.flush()
        van = await locations.create_location(s, locations.NewLocation(
            code=f"VAN-{uuid.uuid4().hex[:4]}", name="Van", kind="van", technician_id=technician_id))
        await movements.receive(s, movements.Moved(part_id=part.id, location_id=van.id, quantity=quantity),
                                actor="test", now=utcnow())
        held = await reservations.reserve(s, bound, part_id=part.id, quantity=quantity, location_id=van.id,
                                          request_id=visit.request_id, actor="test", now=utcnow())
        return held.id


async def reservation_state(runtime: Any, tenant: Any, reservation_id: uuid.UUID) -> str:
    """The reservation's state now (``open``, ``issued``, ``released``)."""
    async with runtime.db.transaction(tenant.id) as s:
        return (await reservations.get_reservation(s, reservation_id)).state
