"""Demo units for ``make demo``: a model and a few serials per tenant, one of them registered to an invented
customer, so the public check and the claim API have something to answer about.

Serials are picked from candidates of every scheme and kept only when the tenant's own vertical accepts them,
so each tenant gets serials its rules call valid (IMEIs for Mehr, a VIN for Carmax, patterned serials for the
rest) without the demo knowing the rules.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from stdnum import luhn

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.runtime import Runtime
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.models import ProductModel, Serial
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase

UNITS_PER_TENANT = 3
DEMO_SKU = "DEMO-1"


def _candidates() -> list[str]:
    imeis = [f"35209900{n:06d}" for n in range(1, UNITS_PER_TENANT + 1)]
    return [
        *(body + luhn.calc_check_digit(body) for body in imeis),
        "1M8GDM9AXKP042788", "1HGCM82633A004352", "JH4KA7561PC008269",  # well-known valid VINs
        *(f"GLDEMO{n:04d}" for n in range(1, UNITS_PER_TENANT + 1)),
        *(f"YZY-2026-{n:05d}" for n in range(1, UNITS_PER_TENANT + 1)),
        *(f"RF500DEMO{n:04d}" for n in range(1, UNITS_PER_TENANT + 1)),
    ]


async def seed_demo_units(runtime: Runtime, tenant: Tenant) -> list[str]:
    """Give ``tenant`` a demo model and units (once), register the first; returns the demo serials."""
    current = bind_tenant(tenant, runtime.plugins)
    serials = []
    for candidate in _candidates():
        check = current.hooks.aftersales_validate_serial(tenant=current.context, serial=candidate, product=None)
        if check.valid:
            serials.append(check.normalized)
        if len(serials) == UNITS_PER_TENANT:
            break
    async with runtime.db.transaction(tenant.id) as session:
        if await session.scalar(select(ProductModel).where(ProductModel.sku == DEMO_SKU)) is not None:
            return serials
        model = ProductModel(sku=DEMO_SKU, name=f"{tenant.name} demo model", volume_m3=0.4, weight_kg=30)
        session.add(model)
        await session.flush()
        for serial in serials:
            session.add(Serial(serial=serial, model_id=model.id, batch="DEMO", seller="Demo store"))
        await session.flush()
        if serials:
            await register_purchase(session, current, PurchaseDetails(
                serial=serials[0], purchased_on=current.today() - timedelta(days=30),
                owner=CustomerDetails(name="Demo Customer", email=f"customer@{tenant.slug}-demo.com"),
                invoice_number="DEMO-0001", seller="Demo store",
            ), registered_by="demo:seed", now=utcnow())
    return serials
