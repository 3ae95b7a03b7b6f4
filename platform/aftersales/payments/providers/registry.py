"""Which provider a payment goes through: the tenant's configured instance of each provider by name."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.payments.providers.base import PROVIDERS, PaymentProvider
from aftersales.payments.providers.offline import offline_provider
from aftersales.payments.providers.stripe import stripe_provider
from aftersales.settings import Settings


async def provider_for(session: AsyncSession, settings: Settings, name: str) -> PaymentProvider:
    """The session's tenant's provider ``name``, configured with the tenant's credentials.

    :raises aftersales.errors.Conflict: the tenant has not configured it (no Stripe keys).
    """
    if name == "offline":
        return offline_provider()
    if name == "stripe":
        return await stripe_provider(session, settings)
    raise ValueError(f"unknown payment provider {name!r}; one of {', '.join(PROVIDERS)}")
