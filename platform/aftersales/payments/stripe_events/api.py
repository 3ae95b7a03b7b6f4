"""The endpoint Stripe posts a tenant's events to: ``POST /api/v1/payments/stripe/webhook/{tenant id}``.

No bearer token: the event is authenticated by its ``Stripe-Signature`` under the tenant's own signing secret,
verified on the raw body. A refused delivery (bad signature, stale timestamp, unknown type) is a 400 and is
logged; an event for a payment not recorded yet is a 409, and Stripe delivers it again later.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, post
from litestar.params import FromPath

from aftersales.db.base import utcnow
from aftersales.errors import NotFound
from aftersales.http.context import RuntimeDep
from aftersales.payments.stripe import accounts as stripe_accounts
from aftersales.payments.stripe_events import services as stripe_webhooks
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant


class StripeWebhookController(Controller):
    """Stripe's deliveries of a tenant's events."""

    path = "/api/v1/payments/stripe/webhook"
    tags = ("payments",)

    @post("/{tenant_id:uuid}", operation_id="receiveStripeEvent", status_code=200, exclude_from_auth=True)
    async def receive(self, request: Request[Any, Any, Any], tenant_id: FromPath[uuid.UUID],
                      runtime: RuntimeDep) -> dict[str, str]:
        """Verify, de-duplicate and apply one event; ``outcome`` says what it changed."""
        async with runtime.db.platform_session() as platform:
            tenant = await platform.get(Tenant, tenant_id)
        if tenant is None or tenant.status != "active":
            raise NotFound("no such tenant")
        payload = await request.body()
        async with runtime.db.transaction(tenant.id) as session:
            account = await stripe_accounts.configured_account(session)
            if account is None:
                raise NotFound("this tenant has not configured Stripe")
            secret = stripe_accounts.decrypt(account, stripe_accounts.credentials_box(runtime.settings)).webhook_secret
            event = stripe_webhooks.verify(payload, request.headers.get("stripe-signature"), secret,
                                           tenant=tenant.slug)
            outcome = await stripe_webhooks.receive(session, bind_tenant(tenant, runtime.plugins), event, utcnow())
        return {"event": event["id"], "outcome": outcome}
