"""Demo card payments: the tenants whose currency Stripe takes (Golden Laser in lari, Yizhongyi in yuan) get
invented Stripe test keys, but only when the platform talks to a local Stripe-compatible server (localstripe,
``AFTERSALES_STRIPE_API_BASE``), which accepts any test key. Against Stripe itself nothing is set: a tenant
enters its own keys. Idempotent: a tenant with Stripe keys is left alone."""

from __future__ import annotations

from aftersales.db.base import utcnow
from aftersales.payments.providers.stripe import UNSUPPORTED_CURRENCIES
from aftersales.payments.stripe import accounts as stripe_accounts
from aftersales.runtime import Runtime
from aftersales.settings import STRIPE_API
from aftersales.tenancy.models import Tenant

DEMO_SECRET_KEY = "sk_test_aftersalesdemo0000000000"
DEMO_PUBLISHABLE_KEY = "pk_test_aftersalesdemo0000000000"
"""Invented test-mode keys: a local Stripe-compatible server takes any; Stripe would refuse them."""


async def seed_demo_pay(runtime: Runtime, tenant: Tenant) -> bool:
    """Give ``tenant`` demo Stripe test keys when the platform's Stripe is local and the tenant's currency is one
    Stripe takes; returns whether keys were set now."""
    settings = runtime.settings
    if settings.stripe_api_base.rstrip("/") == STRIPE_API or tenant.currency in UNSUPPORTED_CURRENCIES:
        return False
    async with runtime.db.transaction(tenant.id) as session:
        if await stripe_accounts.configured_account(session) is not None:
            return False
        await stripe_accounts.set_credentials(
            session, stripe_accounts.credentials_box(settings), secret_key=DEMO_SECRET_KEY,
            webhook_secret=f"whsec_{tenant.slug.replace('-', '')}demo0000000000", publishable_key=DEMO_PUBLISHABLE_KEY,
            connect_mode="off", actor="demo", now=utcnow())
    return True
