"""The tenant's Stripe account: admins set or replace its keys (scope ``payments:configure``)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, put
from litestar.params import JSONBody

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, RuntimeDep, SessionDep, TenantDep
from aftersales.identity.guards import actor, requires_scope
from aftersales.identity.scopes import PAYMENTS_CONFIGURE
from aftersales.payments.stripe import accounts as stripe_accounts
from aftersales.payments.stripe.schemas import StripeAccountIn, StripeAccountOut, stripe_account_out

CONFIGURE = [requires_scope(PAYMENTS_CONFIGURE)]


def webhook_path(tenant: TenantDep) -> str:
    """Where the tenant's Stripe account must send its events (register it in Stripe's dashboard)."""
    return f"/api/v1/payments/stripe/webhook/{tenant.record.id}"


class StripeAccountController(Controller):
    """The tenant's Stripe credentials (stored encrypted, never returned)."""

    path = "/api/v1/payments/stripe/account"
    tags = ("payments",)
    dependencies = TOKEN_TENANT

    @get("/", operation_id="getStripeAccount", guards=CONFIGURE)
    async def show(self, session: SessionDep, tenant: TenantDep) -> StripeAccountOut:
        """The mode, Connect mode, publishable key and the last four characters of each secret."""
        return stripe_account_out(await stripe_accounts.configured_account(session), webhook_path(tenant))

    @put("/", operation_id="setStripeAccount", guards=CONFIGURE)
    async def set_keys(self, request: Request[Any, Any, Any], data: JSONBody[StripeAccountIn], session: SessionDep,
                       runtime: RuntimeDep, tenant: TenantDep) -> StripeAccountOut:
        """Set or replace all the keys at once; a bad or mismatched key is a 422 naming it, nothing stored."""
        account = await stripe_accounts.set_credentials(
            session, stripe_accounts.credentials_box(runtime.settings), secret_key=data.secret_key,
            webhook_secret=data.webhook_secret, publishable_key=data.publishable_key,
            connect_mode=data.connect_mode, actor=actor(request), now=utcnow())
        return stripe_account_out(account, webhook_path(tenant))
