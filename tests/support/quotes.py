"""Shared set-up for the quote, change request and charge tests: an auto-service tenant with a price list, one
provider and a booking, the tokens of everyone concerned, and a job moved along by writing its state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update

from aftersales.marketplace.models import Booking
from aftersales.service.quotes.models import PartPrice
from support.marketplace import ProviderSetup, add_booking, add_customer, add_provider

GARAGE_SETTINGS = {"auto_service": {"travel_per_km_minor": 50, "labour_discount_percent": 10,
                                    "platform_fee_bps": 1000}}
"""Yizhongyi's rules in euro: 0.50 EUR a km, 10 % off labour out of warranty, and a 10 % platform fee."""

PRICE_LIST = {"SEAL": ("hydraulic seal", 20_00), "OIL-5W30": ("engine oil 5W-30, litre", 9_00),
              "OIL-10W40": ("engine oil 10W-40, litre", 7_00)}


@dataclass(frozen=True)
class Job:
    """A booking with who may act on it: the provider's user, its customer, and staff."""

    tenant: Any
    setup: ProviderSetup
    booking_id: uuid.UUID
    customer_id: uuid.UUID
    provider: dict[str, str]
    customer: dict[str, str]


async def add_price_list(runtime: Any, tenant: Any) -> None:
    async with runtime.db.transaction(tenant.id) as s:
        s.add_all(PartPrice(code=code, name=name, price_minor=price, currency="EUR", updated_by="test")
                  for code, (name, price) in PRICE_LIST.items())


async def garage(runtime: Any, make_tenant: Any, slug: str = "garage") -> Any:
    """An auto-service tenant with :data:`GARAGE_SETTINGS` and :data:`PRICE_LIST`."""
    tenant = await make_tenant(slug, vertical="auto_service", settings=GARAGE_SETTINGS)
    await add_price_list(runtime, tenant)
    return tenant


async def new_job(runtime: Any, tenant: Any, provider_token: Any, customer_token: Any, *, price_minor: int = 100_00,
                  name: str = "Garage One", **booking: Any) -> Job:
    """A provider of ``tenant`` (labour ``price_minor``), a customer, and a booking between them."""
    setup = await add_provider(runtime, tenant, name=name, price_minor=price_minor)
    customer_id = await add_customer(runtime, tenant)
    booking_id = await add_booking(runtime, tenant, setup, customer_id, **booking)
    _, customer = await customer_token(tenant, customer_id)
    return Job(tenant, setup, booking_id, customer_id, await provider_token(tenant, setup.provider_id), customer)


async def set_state(runtime: Any, job: Job, state: str) -> None:
    """Move the booking along (the booking API that does it is another part's)."""
    async with runtime.db.transaction(job.tenant.id) as s:
        await s.execute(update(Booking).where(Booking.id == job.booking_id).values(state=state))
