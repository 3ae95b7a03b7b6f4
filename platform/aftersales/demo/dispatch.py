"""Demo data for technician dispatch (issue 20 §3).

Yizhongyi (seed 003, on site within 24 h, the next day planned the afternoon before, parts wait ≤ 5 days): three
technicians with skills, home bases around Nanjing, weekday hours and a daily capacity, each a staff user who can
open their day sheet with the demo password; the next working day's on-site visits, three planned to them and one
still unplanned (the board shows it, and the plan's cut-off flags it); a technician's van as a stock location
with a spare part in it, and a repair waiting for a back-ordered part (the parts-wait clock running, the repair
clock paused).

Entekhab (seed 001, in-warranty installation and repair only by an authorised technician): a handful of
authorised technicians around Tehran, each authorised for some product categories (one authorisation lapsed).

Everything goes through the domain services. Names, addresses, e-mails and references are invented. Idempotent:
a tenant with technicians is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.accounts.services import create_staff
from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.dispatch import planning, technicians, visits
from aftersales.dispatch.models import Technician
from aftersales.identity.customers import CustomerDetails
from aftersales.identity.models import StaffUser
from aftersales.identity.passwords import hash_password
from aftersales.marketplace.quotes.parts import CatalogueFacts, set_price
from aftersales.parts import movements
from aftersales.parts.locations import NewLocation, create_location
from aftersales.parts.supply import backorders
from aftersales.runtime import Runtime
from aftersales.service.models import ServiceRequest
from aftersales.service.requests.services import NewRequest, move_request, open_request
from aftersales.service.states import RequestState
from aftersales.tenancy.current import CurrentTenant, bind_tenant
from aftersales.tenancy.models import Tenant

ACTOR = "demo:seed"
DEMO_TENANTS = ("yizhongyi", "entekhab")
SUMMARY_PREFIX = "Demo on site: "


@dataclass(frozen=True)
class DemoTechnician:
    """An invented technician: e-mail's local part, name, skills, home base, hours, weekdays, daily capacity and
    (Entekhab) the categories they are authorised for."""

    login: str
    name: str
    skills: tuple[str, ...]
    home: tuple[float, float]
    hours: tuple[time, time]
    weekdays: tuple[int, ...]
    capacity: int
    authorised: tuple[str, ...] = ()


WORKWEEK_CN = (0, 1, 2, 3, 4)
"""Monday to Friday (Yizhongyi's calendar has Saturday and Sunday off)."""
WORKWEEK_IR = (5, 6, 0, 1, 2, 3)
"""Saturday to Thursday (Entekhab's)."""
YIZHONGYI = (
    DemoTechnician("tech-a", "技师甲（演示）", ("lift", "alignment"), (32.0417, 118.7845), (time(8, 30), time(17, 30)),
                   WORKWEEK_CN, 4),
    DemoTechnician("tech-b", "技师乙（演示）", ("alignment", "tyre_changer"), (31.9530, 118.8400),
                   (time(8, 30), time(17, 30)), WORKWEEK_CN, 4),
    DemoTechnician("tech-c", "技师丙（演示）", ("lift", "tyre_changer"), (32.0590, 118.6270),
                   (time(9, 0), time(18, 0)), WORKWEEK_CN, 3),
)
"""Home bases in Xinjiekou, Jiangning and Pukou (Nanjing)."""
ENTEKHAB = (
    DemoTechnician("tech-a", "تکنسین مجاز الف (نمونه)", ("installation", "repair"), (35.7575, 51.4094),
                   (time(8), time(17)), WORKWEEK_IR, 5, ("refrigerator", "washing_machine")),
    DemoTechnician("tech-b", "تکنسین مجاز ب (نمونه)", ("installation", "repair"), (35.7000, 51.3400),
                   (time(8), time(17)), WORKWEEK_IR, 5, ("air_conditioner", "cooker")),
    DemoTechnician("tech-c", "تکنسین مجاز ج (نمونه)", ("repair",), (35.6500, 51.4500),
                   (time(9), time(18)), WORKWEEK_IR, 4, ("refrigerator", "dishwasher")),
    DemoTechnician("tech-d", "تکنسین مجاز د (نمونه)", ("installation",), (32.6539, 51.6660),
                   (time(8), time(16)), WORKWEEK_IR, 6, ("washing_machine", "dishwasher", "cooker")),
)
"""Home bases in Vanak, western and southern Tehran, and Isfahan."""
LAPSED = ("tech-c", "dishwasher")
"""The one authorisation that ended a month ago: the board never suggests tech C for an in-warranty dishwasher."""


@dataclass(frozen=True)
class DemoSite:
    """An on-site job: the customer (invented), what is wrong, the skill it needs, where, its window and who
    plans it (a login of :data:`YIZHONGYI`, or None: left unplanned)."""

    customer: str
    email: str
    summary: str
    skill: str
    address: str
    site: tuple[float, float]
    window: tuple[time, time]
    technician: str | None


SITES = (
    DemoSite("演示职业学校（栖霞）", "onsite-school", "the two-post lift does not rise", "lift", "栖霞区示例路 0 号",
             (32.1050, 118.9080), (time(9), time(11)), "tech-a"),
    DemoSite("演示汽修厂（建邺）", "onsite-jianye", "the aligner's camera reads crooked", "alignment",
             "建邺区示例路 0 号", (32.0040, 118.7280), (time(10), time(12)), "tech-b"),
    DemoSite("演示汽修厂（江宁）", "onsite-jiangning", "the tyre changer's turntable sticks", "tyre_changer",
             "江宁区示例路 0 号", (31.9400, 118.8500), (time(13), time(15)), "tech-c"),
    DemoSite("演示培训中心（浦口）", "onsite-pukou", "a lift arm does not lock", "lift", "浦口区示例路 0 号",
             (32.0700, 118.6200), (time(14), time(16)), None),
)
SEAL_KIT = ("YZY-SEAL-001", "Hydraulic pump seal kit", "液压泵密封套件", 38_000, "Nanjing Hydraulics (demo)")
FOOT_VALVE = ("YZY-VALVE-001", "Pneumatic foot valve", "气动脚踏阀", 12_500, "Nanjing Hydraulics (demo)")
"""Invented parts: code, names, list price in fen (380.00 and 125.00 CNY), supplier."""
WAITING = DemoSite("演示汽修厂（鼓楼）", "onsite-gulou", "the lift's hydraulic pump leaks", "lift", "鼓楼区示例路 0 号",
                   (32.0660, 118.7700), (time(9), time(11)), None)
"""The repair waiting for the back-ordered seal kit (no visit until it arrives)."""
BACKORDER_DAYS = 3


async def seed_demo_dispatch(runtime: Runtime, tenant: Tenant, *, password: str | None = None,
                             now: datetime | None = None) -> int:
    """Give ``tenant`` the dispatch demo (see the module), its technicians signing in with ``password``; returns
    how many technicians were added (0 when the tenant is not in :data:`DEMO_TENANTS` or has technicians)."""
    if tenant.slug not in DEMO_TENANTS:
        return 0
    current = bind_tenant(tenant, runtime.plugins)
    now = now or utcnow()
    async with runtime.db.transaction(tenant.id) as session:
        people = YIZHONGYI if tenant.slug == "yizhongyi" else ENTEKHAB
        if await session.scalar(select(Technician.id).limit(1)) is not None:
            await _reset_passwords(session, current, people, password)
            return 0
        added = {person.login: await _technician(session, current, person, password) for person in people}
        if tenant.slug == "yizhongyi":
            await _next_day(session, current, added, now)
            await _waiting_for_parts(session, current, added["tech-a"], now)
        else:
            await _authorise(session, current, added)
    return len(added)


def demo_day(tenant: CurrentTenant) -> date:
    """The next working day after the tenant's today: the day whose plan the demo shows."""
    day = tenant.today() + timedelta(days=1)
    while not tenant.calendar.is_business_day(day):
        day += timedelta(days=1)
    return day


async def _technician(session: AsyncSession, tenant: CurrentTenant, person: DemoTechnician,
                      password: str | None) -> Technician:
    """The technician as a staff user with the technician role (found again by e-mail), and their record."""
    email = f"{person.login}@{tenant.record.slug}-demo.com"
    staff = await session.scalar(select(StaffUser).where(StaffUser.email == email))
    if staff is None:
        staff = await create_staff(session, email=email, name=person.name, roles=["technician"], password=password)
    start, end = person.hours
    latitude, longitude = person.home
    return await technicians.create_technician(session, technicians.NewTechnician(
        name=person.name, home_latitude=latitude, home_longitude=longitude, works_from=start, works_until=end,
        weekdays=list(person.weekdays), daily_capacity=person.capacity, skills=list(person.skills),
        staff_user_id=staff.id, email=email))


async def _reset_passwords(session: AsyncSession, tenant: CurrentTenant, people: tuple[DemoTechnician, ...],
                           password: str | None) -> None:
    """A later demo run's password for the demo technicians' sign-ins, as the seed resets the admins'."""
    if password is None:
        return
    emails = [f"{person.login}@{tenant.record.slug}-demo.com" for person in people]
    for staff in await session.scalars(select(StaffUser).where(StaffUser.email.in_(emails))):
        staff.password_hash, staff.failed_logins, staff.locked_until = hash_password(password), 0, None


async def _authorise(session: AsyncSession, tenant: CurrentTenant, added: dict[str, Technician]) -> None:
    """Entekhab's authorisations per category, a year ahead (one lapsed a month ago)."""
    today, number = tenant.today(), 0
    for person in ENTEKHAB:
        for category in person.authorised:
            number += 1
            until = today - timedelta(days=30) if (person.login, category) == LAPSED else today + timedelta(days=365)
            await technicians.authorise(session, tenant, added[person.login].id, technicians.NewAuthorisation(
                category=category, reference=f"AUTH-DEMO-{number:04d}", until=until))


async def _on_site_request(session: AsyncSession, tenant: CurrentTenant, site: DemoSite,
                           now: datetime) -> ServiceRequest:
    latitude, longitude = site.site
    return await open_request(session, tenant, NewRequest(
        kind="repair", channel="phone", summary=SUMMARY_PREFIX + site.summary,
        customer=CustomerDetails(name=site.customer, email=f"{site.email}@{tenant.record.slug}-demo.com"),
        site_latitude=latitude, site_longitude=longitude, site_country="CN"), actor=ACTOR, now=now)


async def _next_day(session: AsyncSession, tenant: CurrentTenant, added: dict[str, Technician],
                    now: datetime) -> None:
    """The next working day's visits: each site's request taken this morning, its visit planned to its
    technician in its window, the last left unplanned."""
    day, taken_at = demo_day(tenant), now - timedelta(hours=2)
    for site in SITES:
        request = await _on_site_request(session, tenant, site, taken_at)
        start, end = site.window
        visit = await visits.create_visit(session, tenant, visits.NewVisit(
            day=day, window_start=start, window_end=end, skill=site.skill, address=site.address,
            request_id=request.id), actor=ACTOR, now=taken_at)
        if site.technician is not None:
            await planning.plan_visit(session, tenant, visit.id, added[site.technician].id, actor=ACTOR,
                                      now=taken_at + timedelta(minutes=30))


async def _waiting_for_parts(session: AsyncSession, tenant: CurrentTenant, technician: Technician,
                             now: datetime) -> None:
    """Technician A's van with two foot valves in it, and a lift repair diagnosed yesterday whose seal kit is
    back-ordered from the supplier for three days from now."""
    van = await create_location(session, NewLocation(code="VAN-TECH-A", name=f"Van: {technician.name}", kind="van",
                                                     technician_id=technician.id))
    parts = {}
    for code, name, name_zh, price, supplier in (SEAL_KIT, FOOT_VALVE):
        entry = await set_price(session, code=code, name=name, price=Money(price, tenant.record.currency),
                                active=True, actor=ACTOR, facts=CatalogueFacts(names={"zh": name_zh},
                                                                                supplier=supplier))
        parts[code] = entry.id
    await movements.receive(session, movements.Moved(part_id=parts[FOOT_VALVE[0]], location_id=van.id, quantity=2,
                                                     reason="demo van stock"), actor=ACTOR, now=now - timedelta(days=7))
    opened = now - timedelta(days=1)
    request = await _on_site_request(session, tenant, WAITING, opened)
    await move_request(session, tenant, request.id, RequestState.DIAGNOSING, actor=ACTOR,
                       note="the pump's seal is worn; a new kit is needed", now=opened + timedelta(hours=3))
    await backorders.place(session, tenant, backorders.BackorderAsk(
        part_id=parts[SEAL_KIT[0]], quantity=1, request_id=request.id, location_id=van.id,
        expected_on=tenant.today() + timedelta(days=BACKORDER_DAYS), supplier_reference="PO-DEMO-0001"),
        actor=ACTOR, now=now - timedelta(hours=1))
