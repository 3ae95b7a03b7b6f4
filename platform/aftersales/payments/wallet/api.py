"""Wallet endpoints: a customer's store credit and its statement, and topping it up.

Staff with ``payments:read`` read any customer's wallet and finance staff (``payments:write``) top one up; a
customer reads and tops up only their own (another customer answers 404).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from aftersales.db.base import utcnow
from aftersales.errors import PermissionDenied
from aftersales.http.context import TOKEN_TENANT, RuntimeDep, SessionDep, TenantDep
from aftersales.identity.guards import actor, current_principal, requires_any_scope
from aftersales.identity.scopes import CUSTOMER_SELF, PAYMENTS_READ, PAYMENTS_WRITE
from aftersales.payments.customer_payments.schemas import PaymentOut, payment_out
from aftersales.payments.ledger import services as ledger
from aftersales.payments.wallet import services as wallet
from aftersales.payments.wallet.schemas import TopUpIn, WalletOut, wallet_out


class WalletController(Controller):
    """A customer's wallet in one currency."""

    path = "/api/v1/customers/{customer_id:uuid}/wallet"
    tags = ("payments",)
    dependencies = TOKEN_TENANT

    @get("/", operation_id="getWallet", guards=[requires_any_scope(PAYMENTS_READ, CUSTOMER_SELF)])
    async def get_wallet(self, request: Request[Any, Any, Any], customer_id: FromPath[UUID], session: SessionDep,
                         tenant: TenantDep, currency: FromQuery[str | None] = None) -> WalletOut:
        """The balance and every entry, oldest first, in ``currency`` (by default the tenant's)."""
        return wallet_out(await wallet.statement(session, current_principal(request), customer_id,
                                                 currency or tenant.record.currency))

    @post("/top-ups", operation_id="topUpWallet", guards=[requires_any_scope(PAYMENTS_WRITE, CUSTOMER_SELF)])
    async def top_up(self, request: Request[Any, Any, Any], customer_id: FromPath[UUID], data: JSONBody[TopUpIn],
                     session: SessionDep, runtime: RuntimeDep) -> PaymentOut:
        """Top the wallet up: cash and transfers (finance staff) credit it at once, a card once it is captured."""
        principal = current_principal(request)
        if principal.customer_id is not None and data.provider != "stripe" and principal.customer_id == customer_id:
            raise PermissionDenied("customers top up by card; offline money is recorded by finance staff")
        started = await wallet.top_up(session, runtime.settings, principal, customer_id,
                                      amount_minor=data.amount_minor, currency=data.currency, provider=data.provider,
                                      method=data.method, reference=data.reference, actor=actor(request),
                                      now=utcnow())
        totals = await ledger.payment_totals(session, started.payment.id)
        return payment_out(started.payment, totals, client_secret=started.client_secret)
