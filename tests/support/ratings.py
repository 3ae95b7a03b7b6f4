"""Set-up shared by the rating tests: completed jobs, paid or not, and reading back what ratings changed."""

from __future__ import annotations

import itertools
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from aftersales.db.base import utcnow
from aftersales.marketplace.models import CustomerRatingTotal, JobCharge, Provider, Quote, Rating
from support.marketplace import ProviderSetup, add_booking
from support.payments import add_job_payment

_hours_ago = itertools.count(2, 2)


def _earlier_slot():
    """A start two hours before the last one given: jobs of one provider never hold the same slot units."""
    return utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=next(_hours_ago))


async def completed_job(runtime: Any, tenant: Any, setup: ProviderSetup, customer_id: uuid.UUID, *,
                        paid: bool = True, state: str = "completed") -> uuid.UUID:
    """A job of ``setup``'s provider for the customer, completed (or in ``state``), with its charge created and
    its payment captured (``paid``) or neither."""
    booking_id = await add_booking(runtime, tenant, setup, customer_id, state=state, starts_at=_earlier_slot())
    if paid:
        async with runtime.db.transaction(tenant.id) as s:
            s.add(JobCharge(booking_id=booking_id, outcome="created", amount_minor=setup.price_minor,
                            cap_minor=setup.price_minor, currency="EUR", requested_by="test"))
        await add_job_payment(runtime, tenant, booking_id, customer_id, setup.price_minor)
    return booking_id


async def free_warranty_job(runtime: Any, tenant: Any, setup: ProviderSetup, customer_id: uuid.UUID) -> uuid.UUID:
    """A completed job whose accepted quote came to 0 (all under warranty) and so has no charge."""
    booking_id = await add_booking(runtime, tenant, setup, customer_id, state="completed", under_warranty=True,
                                    starts_at=_earlier_slot())
    async with runtime.db.transaction(tenant.id) as s:
        s.add(Quote(booking_id=booking_id, state="accepted", lines=[], total_minor=0, currency="EUR",
                    offered_by="test"))
    return booking_id


async def provider_row(runtime: Any, tenant: Any, provider_id: uuid.UUID) -> Provider:
    async with runtime.db.transaction(tenant.id) as s:
        return (await s.scalars(select(Provider).where(Provider.id == provider_id))).one()


async def customer_total(runtime: Any, tenant: Any, customer_id: uuid.UUID) -> CustomerRatingTotal | None:
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(CustomerRatingTotal).where(CustomerRatingTotal.customer_id == customer_id))


async def rating_count(runtime: Any, tenant: Any) -> int:
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(Rating)) or 0
