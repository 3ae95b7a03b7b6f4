"""Demo service data: Golden Laser's service points and one open repair request per tenant, so the clocks,
holds and timeline can be clicked through after ``make demo``. Idempotent: a tenant with requests is left alone."""

from __future__ import annotations

from sqlalchemy import func, select

from aftersales.db.base import utcnow
from aftersales.runtime import Runtime
from aftersales.service.models import ServicePoint, ServiceRequest
from aftersales.service.requests.services import NewRequest, open_request
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.models import Registration

DEMO_SERVICE_POINTS = {
    "golden-laser": [("Tbilisi service centre", 41.7151, 44.8271, "GE"), ("Batumi service office", 41.6168, 41.6367, "GE"),
                     ("Kutaisi service office", 42.2679, 42.6946, "GE")],
}
"""Invented points at city centres (seed 004 names no addresses)."""
DEMO_SITES = {"golden-laser": {"site_latitude": 41.5495, "site_longitude": 44.9934, "site_country": "GE"}}
"""Where the registered demo unit stands, for tenants whose clocks depend on it: Golden Laser's machine in a
workshop in Rustavi, about 25 km from the Tbilisi service centre (an engineer on site within 24 h)."""


async def seed_demo_service(runtime: Runtime, tenant: Tenant) -> int | None:
    """Give ``tenant`` its demo service points and a repair request on its registered demo unit; returns the
    request's number, or None when the tenant already had requests."""
    current = bind_tenant(tenant, runtime.plugins)
    async with runtime.db.transaction(tenant.id) as session:
        if await session.scalar(select(func.count()).select_from(ServiceRequest)):
            return None
        for name, latitude, longitude, country in DEMO_SERVICE_POINTS.get(tenant.slug, []):
            session.add(ServicePoint(name=name, latitude=latitude, longitude=longitude, country=country))
        await session.flush()
        registration = await session.scalar(select(Registration).order_by(Registration.created_at).limit(1))
        if registration is None:
            return None
        request = await open_request(session, current, NewRequest(
            kind="repair", channel="walk_in", summary="Demo: the unit does not power on", registration_id=registration.id,
            **DEMO_SITES.get(tenant.slug, {}),
        ), actor="demo:seed", now=utcnow())
        return request.number
