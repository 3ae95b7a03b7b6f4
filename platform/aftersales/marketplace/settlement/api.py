"""Marketplace settlement endpoints: pay a completed job, and a provider's payouts.

A job is paid by finance staff (offline) or by its customer (card); a provider user reads only its own
provider's payouts, staff with ``payments:read`` any provider's.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from aftersales.db.base import utcnow
from aftersales.errors import PermissionDenied
from aftersales.http.context import TOKEN_TENANT, RuntimeDep, SessionDep
from aftersales.identity.guards import actor, current_principal, requires_any_scope
from aftersales.identity.scopes import CUSTOMER_SELF, PAYMENTS_READ, PAYMENTS_WRITE, PROVIDER_WORK
from aftersales.marketplace.settlement import services as settlement
from aftersales.marketplace.settlement.schemas import JobPaymentIn, PayoutStatementOut, payout_statement_out
from aftersales.payments.customer_payments.schemas import PaymentOut, payment_out
from aftersales.payments.ledger import services as ledger


class SettlementController(Controller):
    """Paying marketplace jobs and paying their providers."""

    path = "/api/v1/marketplace"
    tags = ("payments",)
    dependencies = TOKEN_TENANT

    @post("/bookings/{booking_id:uuid}/payment", operation_id="payJob",
          guards=[requires_any_scope(PAYMENTS_WRITE, CUSTOMER_SELF)])
    async def pay_job(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID], data: JSONBody[JobPaymentIn],
                      session: SessionDep, runtime: RuntimeDep) -> PaymentOut:
        """Pay a completed job's charge, exactly; by card through Stripe Connect the provider's payout account
        and the platform's fee travel with it and it is authorised, to be captured. 409 while another payment of
        the job is under way or captured, or before the job is charged."""
        principal = current_principal(request)
        if principal.customer_id is not None and data.provider != "stripe":
            raise PermissionDenied("customers pay by card; offline money is recorded by finance staff")
        started = await settlement.pay_job(session, runtime.settings, principal, booking_id, provider=data.provider,
                                           method=data.method, reference=data.reference, actor=actor(request),
                                           now=utcnow())
        totals = await ledger.payment_totals(session, started.payment.id)
        return payment_out(started.payment, totals, client_secret=started.client_secret)

    @get("/providers/{provider_id:uuid}/payouts", operation_id="providerPayouts",
         guards=[requires_any_scope(PAYMENTS_READ, PROVIDER_WORK)])
    async def payouts(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID],
                      session: SessionDep) -> PayoutStatementOut:
        """The provider's payouts and their reversals, oldest first, with totals per currency."""
        return payout_statement_out(await settlement.payout_statement(session, current_principal(request),
                                                                      provider_id))
