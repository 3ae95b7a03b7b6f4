"""Demo marketplace data: a few Carmax providers in Tehran (a Saturday-to-Thursday week, prices in rials) and
Yizhongyi's equipment service partners in Nanjing (Monday to Friday, prices in yuan), with service points, so providers can be
searched and booked after ``make demo``. The demo customer (``customer@{slug}-demo.com``, when the demo units made
one) gets a booking in each state with its last provider, so every booking page can be clicked through: a quote
waiting for an answer, extra work waiting for approval, a finished job whose payment is due (and that can be
rated once paid), and a cancelled booking. Names, addresses and numbers are invented.
Idempotent: a tenant that has providers is left alone."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.marketplace.availability import schedules
from aftersales.marketplace.availability.slots import day_slots
from aftersales.marketplace.bookings import services as bookings
from aftersales.marketplace.bookings.states import Move
from aftersales.marketplace.changes import services as change_requests
from aftersales.marketplace.charges import services as charges
from aftersales.marketplace.models import Booking, Offering, Provider, ProviderOffering
from aftersales.marketplace.providers import locations, prices
from aftersales.marketplace.providers import services as providers
from aftersales.marketplace.quotes import services as quotes
from aftersales.runtime import Runtime
from aftersales.tenancy.current import CurrentTenant, bind_tenant
from aftersales.tenancy.models import Tenant

SATURDAY_TO_THURSDAY = (5, 6, 0, 1, 2, 3)
DEMO_WEEKS = {
    "carmax": [(day, time(8), time(13) if day == 3 else time(17)) for day in SATURDAY_TO_THURSDAY],
    "yizhongyi": [(day, time(8, 30), time(17, 30)) for day in range(5)],
}
"""Each demo tenant's providers' week: Carmax's Thursday ends at 13:00; Yizhongyi works Monday to Friday."""
DEMO_PROVIDERS = {
    "carmax": [
        {"name": "Pars Auto Service (demo)", "kind": "workshop", "skills": ["brakes", "tyres"],
         "phone": "021 8800 0001", "email": "pars-auto@carmax.example",
         "at": ("Vanak", 35.7575, 51.4094, 15.0),
         "prices": {"oil_change": "2500000", "diagnostics": "1800000", "brake_service": "6500000",
                    "tyre_change": "1200000"}},
        {"name": "Azadi Mobile Mechanic (demo)", "kind": "mobile_technician", "skills": ["tyres"],
         "phone": "021 8800 0002", "email": "azadi-mobile@carmax.example",
         "at": ("Azadi Square", 35.6997, 51.3380, 25.0),
         "prices": {"oil_change": "2900000", "tyre_change": "1500000"}},
        {"name": "Tajrish Car Care (demo)", "kind": "workshop", "skills": [],
         "phone": "021 8800 0003", "email": "tajrish@carmax.example",
         "at": ("Tajrish", 35.8048, 51.4337, 10.0),
         "prices": {"oil_change": "2300000", "diagnostics": "1500000"}},
    ],
    "yizhongyi": [
        {"name": "Gulou Equipment Service (demo)", "kind": "workshop", "skills": ["lifts"],
         "phone": "025 8600 0001", "email": "gulou@yizhongyi.example",
         "at": ("Gulou", 32.0662, 118.7778, 20.0),
         "prices": {"lift_installation": "1200", "lift_repair": "600", "equipment_diagnostics": "200"}},
        {"name": "Jiangning Mobile Technician (demo)", "kind": "mobile_technician", "skills": [],
         "phone": "025 8600 0002", "email": "jiangning@yizhongyi.example",
         "at": ("Jiangning", 31.9523, 118.8399, 30.0),
         "prices": {"equipment_diagnostics": "180"}},
    ],
}


async def seed_demo_marketplace(runtime: Runtime, tenant: Tenant) -> int:
    """Give ``tenant`` its demo providers, active, open in the tenant's demo week (:data:`DEMO_WEEKS`); returns
    how many were added (0 when it already had providers or has none in the demo)."""
    specs = DEMO_PROVIDERS.get(tenant.slug, [])
    async with runtime.db.transaction(tenant.id) as session:
        if not specs or await session.scalar(select(func.count()).select_from(Provider)):
            return 0
        provider = None
        for spec in specs:
            profile = {k: spec[k] for k in ("name", "kind", "skills", "phone", "email")}
            provider = await providers.create_provider(session, tenant.country, profile)
            await providers.change_status(session, provider.id, "active", "demo provider")
            name, latitude, longitude, radius = spec["at"]
            await locations.add_location(session, provider.id, locations.LocationDetails(
                name=name, latitude=latitude, longitude=longitude, service_radius_km=radius))
            await schedules.replace_week(session, provider.id, DEMO_WEEKS[tenant.slug])
            for code, amount in spec["prices"].items():
                await prices.set_price(session, provider.id, code, prices.PriceDetails(price=amount),
                                       currency=tenant.currency)
        customer = await session.scalar(select(Customer).where(Customer.email == f"customer@{tenant.slug}-demo.com"))
        if customer is not None and provider is not None:
            await _seed_demo_bookings(session, bind_tenant(tenant, runtime.plugins), provider, customer)
    return len(specs)


async def _seed_demo_bookings(session: AsyncSession, tenant: CurrentTenant, provider: Provider,
                              customer: Customer) -> None:
    """The demo customer's bookings with ``provider``, one per state a customer acts in (see the module)."""
    tenant_id, now = tenant.record.id, utcnow()
    me = Principal(kind="customer", subject=str(customer.id), tenant_id=tenant_id, customer_id=customer.id)
    works = Principal(kind="staff", subject="demo-provider", tenant_id=tenant_id, provider_id=provider.id)
    price = (await session.scalars(select(ProviderOffering).where(ProviderOffering.provider_id == provider.id)
                                   .order_by(ProviderOffering.price_minor))).first()
    assert price is not None, "a demo provider has prices"
    starts = await _free_starts(session, tenant, provider.id, price.offering_id, now)

    async def book(at: datetime) -> uuid.UUID:
        new = bookings.NewBooking(provider_id=provider.id, offering_id=price.offering_id, starts_at=at)
        return (await bookings.book(session, tenant, bookings.party_of(me), new, now=now)).id

    async def quoted(booking_id: uuid.UUID, *, accept: bool) -> None:
        quote = await quotes.offer_quote(session, tenant, works, booking_id, parts=[], consumables=[],
                                         actor="staff:demo-provider", now=now)
        if accept:
            await quotes.accept_quote(session, me, quote.id, actor=f"customer:{customer.id}", now=now)

    await quoted(await book(starts[0]), accept=False)
    extra = await book(starts[1])
    await quoted(extra, accept=True)
    await bookings.provider_move(session, bookings.party_of(works), extra, Move.START, now=now)
    await change_requests.raise_change(session, tenant, works, extra, change_requests.ExtraWork(
        description="Replace a worn part found during the job", reason="It would fail within weeks",
        labour_minor=price.price_minor // 2), actor="staff:demo-provider", now=now)
    await bookings.cancel(session, bookings.party_of(me), await book(starts[2]), reason="", now=now)
    last_week = starts[0] - timedelta(days=7)  # a job done last week: written as it stood then, in progress
    done = Booking(provider_id=provider.id, offering_id=price.offering_id, customer_id=customer.id,
                   starts_at=last_week, ends_at=last_week + timedelta(minutes=price.duration_minutes),
                   state="in_progress", price_minor=price.price_minor, currency=price.currency, booked_by="demo",
                   started_at=last_week)
    session.add(done)
    await session.flush()
    await quoted(done.id, accept=True)
    await bookings.provider_move(session, bookings.party_of(works), done.id, Move.COMPLETE, now=now)
    await charges.charge_job(session, works, done.id, amount_minor=None, actor="staff:demo-provider", now=now)


async def _free_starts(session: AsyncSession, tenant: CurrentTenant, provider_id: uuid.UUID,
                       offering_id: uuid.UUID, now: datetime) -> list[datetime]:
    """Three free starts of the provider from the next working day on."""
    code = (await session.scalars(select(Offering.code).where(Offering.id == offering_id))).one()
    found: list[datetime] = []
    day = tenant.today()
    while len(found) < 3:
        day += timedelta(days=1)
        found += (await day_slots(session, tenant.calendar, provider_id, code, day, now=now)).starts[::4][:3]
    return found[:3]
