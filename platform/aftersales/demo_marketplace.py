"""Demo marketplace data: a few Carmax providers in Tehran (a Saturday-to-Thursday week, prices in rials) and
Yizhongyi's equipment service partners in Nanjing (Monday to Friday, prices in yuan), with service points, so providers can be
searched and booked after ``make demo``. Names, addresses and numbers are invented.
Idempotent: a tenant that has providers is left alone."""

from __future__ import annotations

from datetime import time

from sqlalchemy import func, select

from aftersales.marketplace import locations, prices, providers, schedules
from aftersales.marketplace.models import Provider
from aftersales.runtime import Runtime
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
    return len(specs)
