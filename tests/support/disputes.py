"""Set-up for dispute tests: a completed booking, a service request and a decided claim of one customer,
written straight to the tables (their own APIs have tests of their own)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.models import Customer
from aftersales.marketplace.models import Provider
from aftersales.service.models import ServiceRequest
from aftersales.warranty.models import Claim, Registration, Serial
from support.marketplace import ProviderSetup, add_booking, add_customer, add_provider
from support.warranty import add_unit


@dataclass(frozen=True)
class Parties:
    """A customer with a completed booking at a provider, a repair request and a rejected return claim."""

    customer_id: uuid.UUID
    garage: ProviderSetup
    booking_id: uuid.UUID
    request_id: uuid.UUID
    claim_id: uuid.UUID


async def add_claim(runtime: Any, tenant: Any, customer_id: uuid.UUID, serial: str) -> uuid.UUID:
    """A registration of a new unit to ``customer_id`` and a return claim the vertical rejected."""
    await add_unit(runtime, tenant, serial, status="sold")
    async with runtime.db.transaction(tenant.id) as s:
        unit = await s.scalar(select(Serial).where(Serial.serial == serial))
        registration = Registration(serial_id=unit.id, customer_id=customer_id, purchased_on=date(2026, 11, 20),
                                    price_minor=300_00, currency="EUR", owned_from=date(2026, 11, 20),
                                    registered_by="test")
        s.add(registration)
        await s.flush()
        claim = Claim(registration_id=registration.id, serial_id=unit.id, kind="return", reported_on=date(2026, 12, 1),
                      facts={}, decision="reject", filed_by="test")
        s.add(claim)
        await s.flush()
        return claim.id


async def add_request(runtime: Any, tenant: Any, customer_id: uuid.UUID, number: int = 1) -> uuid.UUID:
    """A repair request of ``customer_id`` (state ``received``)."""
    async with runtime.db.transaction(tenant.id) as s:
        request = ServiceRequest(number=number, kind="repair", channel="phone", state="received",
                                 customer_id=customer_id, summary="screen flickers", opened_at=utcnow())
        s.add(request)
        await s.flush()
        return request.id


async def parties(runtime: Any, tenant: Any, *, name: str = "Sara Example", garage: ProviderSetup | None = None,
                  serial: str = "490154203237518", number: int = 1) -> Parties:
    """A customer of ``tenant`` with a booking completed yesterday (at ``garage``, else a new provider with an
    e-mail), a request and a claim."""
    if garage is None:
        garage = await add_provider(runtime, tenant, name="Garage One")
        async with runtime.db.transaction(tenant.id) as s:
            provider = await s.scalar(select(Provider).where(Provider.id == garage.provider_id))
            provider.email = "garage@example.com"
    customer_id = await add_customer(runtime, tenant, name=name)
    yesterday = (utcnow() - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    booking_id = await add_booking(runtime, tenant, garage, customer_id, state="completed", starts_at=yesterday)
    request_id = await add_request(runtime, tenant, customer_id, number)
    claim_id = await add_claim(runtime, tenant, customer_id, serial)
    return Parties(customer_id, garage, booking_id, request_id, claim_id)


async def set_locale(runtime: Any, tenant: Any, customer_id: uuid.UUID, locale: str) -> None:
    async with runtime.db.transaction(tenant.id) as s:
        customer = await s.scalar(select(Customer).where(Customer.id == customer_id))
        customer.locale = locale
