"""Demo data for parts and units on the move (issue 20 §1–2, seed 000, Mehr): a central workshop in Tehran and two
service offices, stock at the workshop and at the Isfahan office of three phone parts (screen, battery, charging
port) with the charging port below its buffer minimum at the workshop (on the reorder list), a scrapped phone
registered as a donor whose screen and charging port are in stock as used parts, the demo unit's request taken in
at the Isfahan office with Mehr's checklist and signed receipt and on its way to the central workshop, and an
earlier warranty repair whose faulty screen went back to the supplier in an RMA batch.

Everything goes through the domain services (catalogue, stock ledger, donors, intake, transfers, quotes, returns),
each step at an instant before the demo's "now". Part numbers, prices (rials, read in toman), names, waybills and
the RMA number are invented. Idempotent: a tenant with stock locations is left alone.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.demo.units import DEMO_SKU
from aftersales.marketplace.quotes.parts import CatalogueFacts, set_price
from aftersales.parts import minimums, movements, reservations
from aftersales.parts.locations import NewLocation, create_location
from aftersales.parts.models import StockLocation
from aftersales.parts.supply import donors, returns
from aftersales.runtime import Runtime
from aftersales.service.intake.services import IntakeAsked, take_in
from aftersales.service.models import ServicePoint, ServiceRequest
from aftersales.service.quotes.price_list import ItemAsked
from aftersales.service.quotes.services import QuoteAsked, decide_quote, offer_quote
from aftersales.service.requests.services import NewRequest, move_request, open_request
from aftersales.service.states import RequestState
from aftersales.service.transfers.services import TransferAsked, send_unit
from aftersales.tenancy.current import CurrentTenant, bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.models import ProductModel, Registration

ACTOR = "demo:seed"
DEMO_TENANTS = ("mehr",)
"""The tenants that get this demo (seed 000 is the one with a central workshop, service offices and donors)."""


@dataclass(frozen=True)
class DemoPoint:
    """A service point: code of its stock location, name, kind, where, invented address."""

    code: str
    name: str
    kind: str
    latitude: float
    longitude: float
    address: str


WORKSHOP = DemoPoint("MEHR-WORKSHOP", "Central workshop, Tehran", "workshop", 35.6892, 51.3890,
                     "خیابان نمونه، کوچه صفر، پلاک ۰، تهران")
ISFAHAN = DemoPoint("MEHR-ISFAHAN", "Service office, Isfahan", "office", 32.6539, 51.6660,
                    "خیابان آزمایشی، کوچه صفر، پلاک ۰، اصفهان")
SHIRAZ = DemoPoint("MEHR-SHIRAZ", "Service office, Shiraz", "office", 29.5918, 52.5837,
                   "خیابان نمونه، کوچه صفر، پلاک ۰، شیراز")
POINTS = (WORKSHOP, ISFAHAN, SHIRAZ)
SUPPLIER = "Mehr Parts Trading (demo)"


@dataclass(frozen=True)
class DemoPart:
    """A catalogue entry: invented part number, English and Persian names, list price in rials, wear part."""

    code: str
    name: str
    name_fa: str
    price_rials: int
    wear_part: bool = False


SCREEN = DemoPart("MHR-SCR-001", "Screen assembly", "مجموعه صفحه‌نمایش", 48_000_000)
BATTERY = DemoPart("MHR-BAT-001", "Battery", "باتری", 14_500_000, wear_part=True)
CHARGING_PORT = DemoPart("MHR-CHG-001", "Charging port", "درگاه شارژ", 6_200_000, wear_part=True)
"""4,800,000, 1,450,000 and 620,000 toman."""
STOCK = {WORKSHOP.code: {SCREEN.code: 6, BATTERY.code: 10, CHARGING_PORT.code: 1},
         ISFAHAN.code: {SCREEN.code: 1, BATTERY.code: 3, CHARGING_PORT.code: 2}}
"""New parts received at each location."""
BUFFER = (WORKSHOP.code, CHARGING_PORT.code, 4, 10)
"""The workshop keeps at least 4 charging ports, reordered 10 at a time: with 1 on hand it is on the reorder list."""
DONOR_SERIAL = "DONOR-0000-0001"
HARVESTED = (SCREEN.code, CHARGING_PORT.code)
RMA_NUMBER = "RMA-DEMO-0001"
WAYBILL = ("WB-DEMO-0001", "Post (demo)")
ANSWERS = {"box": True, "charger": True, "accessories": "cable", "visible_damage": "a light scratch on the back"}
SIGNER = "Demo Customer"
PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAAB"
       "JRU5ErkJggg==")
"""A 1×1 PNG: the customer's signature and the device's photo, as a phone's canvas sends them."""
assert base64.b64decode(PNG.split(",", 1)[1]).startswith(b"\x89PNG")


async def seed_demo_workshop(runtime: Runtime, tenant: Tenant, *, now: datetime | None = None) -> int:
    """Give ``tenant`` the workshop demo (see the module) as it stands at ``now`` (default: this instant);
    returns how many stock locations were added (0 when the tenant is not in :data:`DEMO_TENANTS`, already has
    stock locations, or has no registered demo unit with its open request)."""
    if tenant.slug not in DEMO_TENANTS:
        return 0
    current = bind_tenant(tenant, runtime.plugins)
    now = now or utcnow()
    async with runtime.db.transaction(tenant.id) as session:
        if await session.scalar(select(StockLocation.id).limit(1)) is not None:
            return 0
        registration = await session.scalar(select(Registration).order_by(Registration.created_at).limit(1))
        request = registration and await session.scalar(
            select(ServiceRequest).where(ServiceRequest.registration_id == registration.id)
            .order_by(ServiceRequest.opened_at).limit(1))
        if registration is None or request is None:
            return 0
        points = {point.code: await _point(session, point) for point in POINTS}
        places = {code: await create_location(session, NewLocation(code=code, name=points[code].name,
                                                                   kind="service_point", service_point_id=points[code].id))
                  for code in (WORKSHOP.code, ISFAHAN.code)}
        parts = {part.code: await _part(session, current, part) for part in (SCREEN, BATTERY,
                                                                                          CHARGING_PORT)}
        for code, counts in STOCK.items():
            for part_code, quantity in counts.items():
                await movements.receive(session, movements.Moved(part_id=parts[part_code], location_id=places[code].id,
                                                                 quantity=quantity, reason="demo opening stock"),
                                        actor=ACTOR, now=now - timedelta(days=20))
        where, part_code, least, reorder = BUFFER
        await minimums.set_minimum(session, part_id=parts[part_code], location_id=places[where].id, minimum=least,
                                   reorder_quantity=reorder, actor=ACTOR)
        await _donor(session, current, places[WORKSHOP.code].id, parts, now - timedelta(days=10))
        await _returned(session, current, registration, places[WORKSHOP.code].id, parts[SCREEN.code],
                        now - timedelta(days=9))
        await _on_its_way(session, current, runtime, request.id, points, now)
    return len(places)


async def _point(session: AsyncSession, point: DemoPoint) -> ServicePoint:
    """The service point, as the service points API adds it (the demo service adds Golden Laser's the same way)."""
    added = ServicePoint(name=point.name, latitude=point.latitude, longitude=point.longitude, country="IR",
                         details={"address": point.address}, kind=point.kind)
    session.add(added)
    await session.flush()
    return added


async def _part(session: AsyncSession, tenant: CurrentTenant, part: DemoPart) -> UUID:
    """The part in the catalogue, fitting the demo model when the tenant has it."""
    models = list(await session.scalars(select(ProductModel.sku).where(ProductModel.sku == DEMO_SKU)))
    entry = await set_price(session, code=part.code, name=part.name,
                            price=Money(part.price_rials, tenant.record.currency), active=True, actor=ACTOR,
                            facts=CatalogueFacts(names={"fa": part.name_fa}, compatible_models=models,
                                                 wear_part=part.wear_part, supplier=SUPPLIER))
    return entry.id


async def _donor(session: AsyncSession, tenant: CurrentTenant, location_id: UUID, parts: dict[str, UUID],
                 at: datetime) -> None:
    """A scrapped phone registered as a donor at the workshop, its screen and charging port harvested as used."""
    donor = await donors.register(session, tenant, donors.DonorAsk(
        source="scrapped", location_id=location_id, serial=DONOR_SERIAL,
        note="demo: dropped in water, board dead; screen and charging port tested good"), actor=ACTOR, now=at)
    await donors.harvest(session, donor.id, [donors.HarvestLine(part_id=parts[code], quantity=1) for code in HARVESTED],
                         actor=ACTOR, now=at + timedelta(hours=1))


async def _returned(session: AsyncSession, tenant: CurrentTenant, registration: Registration, location_id: UUID,
                    screen: UUID, at: datetime) -> None:
    """An earlier warranty repair of the demo unit: quoted free under warranty, accepted, a new screen issued, the
    cracked one tagged faulty and sent back to the supplier in an RMA batch."""
    earlier = await open_request(session, tenant, NewRequest(
        kind="repair", channel="walk_in", summary="Demo: the screen flickers (repaired under warranty)",
        registration_id=registration.id), actor=ACTOR, now=at)
    quote = await offer_quote(session, tenant, earlier.id, QuoteAsked(labour_minor=0, parts=(ItemAsked(SCREEN.code),)), actor=ACTOR,
                              now=at + timedelta(minutes=30))
    await decide_quote(session, quote.id, customer_id=earlier.customer_id, accept=True,
                       actor=f"customer:{earlier.customer_id}", now=at + timedelta(hours=1))
    await move_request(session, tenant, earlier.id, RequestState.IN_REPAIR, actor=ACTOR, note="",
                       now=at + timedelta(hours=2))
    held = await reservations.reserve(session, tenant, part_id=screen, quantity=1, location_id=location_id,
                                      request_id=earlier.id, actor=ACTOR, now=at + timedelta(hours=2))
    await reservations.issue(session, held.id, actor=ACTOR, now=at + timedelta(hours=3))
    faulty = await returns.tag_faulty(session, tenant, request_id=earlier.id, part_id=screen, quantity=1, actor=ACTOR,
                                      now=at + timedelta(hours=3))
    for state, hours in ((RequestState.READY, 5), (RequestState.RETURNED, 26)):
        await move_request(session, tenant, earlier.id, state, actor=ACTOR, note="", now=at + timedelta(hours=hours))
    batch = await returns.open_batch(session, supplier=SUPPLIER, rma_number=RMA_NUMBER, faulty_ids=[faulty.id],
                                     actor=ACTOR, now=at + timedelta(days=2))
    await returns.send(session, batch.id, actor=ACTOR, now=at + timedelta(days=2, hours=1))


async def _on_its_way(session: AsyncSession, tenant: CurrentTenant, runtime: Runtime, request_id: UUID,
                      points: dict[str, ServicePoint], now: datetime) -> None:
    """The demo unit taken in at the Isfahan office this morning, with its checklist and signed receipt, and sent
    to the central workshop an hour later."""
    taken_at = now - timedelta(hours=3)
    await take_in(session, tenant, runtime.settings.data_dir, request_id, IntakeAsked(
        service_point_id=points[ISFAHAN.code].id, answers={**ANSWERS, "photos": [PNG]}, signer_name=SIGNER,
        signature=PNG), actor=ACTOR, now=taken_at)
    waybill, carrier = WAYBILL
    await send_unit(session, tenant, request_id, TransferAsked(
        to_point_id=points[WORKSHOP.code].id, waybill=waybill, carrier=carrier,
        sent_at=taken_at + timedelta(hours=1)), actor=ACTOR, now=now)
