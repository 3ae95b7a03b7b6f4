"""A late delivery's compensation given: at delivery, the amount the vertical owes for the days late
(``aftersales_late_delivery_compensation``) is credited to the customer's store credit and the customer told.

The credit is a wallet credit through the ledger (:func:`aftersales.payments.wallet.services.grant`) under the
operation id ``late-delivery:{order id}``: an order is delivered once, and a retried delivery finds the entry
already posted instead of crediting twice. A compensation of zero credits nothing and says nothing. Whether the
credit can later be paid out is the vertical's wallet refund rule, as for any store credit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.values import LateDeliveryCompensation
from aftersales.orders import notices
from aftersales.orders.models import Order
from aftersales.payments.ledger.models import LedgerEntry
from aftersales.payments.wallet import services as wallet
from aftersales.tenancy.current import CurrentTenant


def operation_id(order: Order) -> str:
    """The ledger operation that credits the order's late-delivery compensation (one per order)."""
    return f"late-delivery:{order.id}"


async def credit_compensation(session: AsyncSession, tenant: CurrentTenant, order: Order, days_late: int,
                              compensation: LateDeliveryCompensation, *, actor: str,
                              now: datetime) -> LedgerEntry | None:
    """Credit the late order's compensation to its customer's store credit and tell them; None when it is 0."""
    if compensation.amount.amount_minor <= 0:
        return None
    entry = await wallet.grant(
        session, order.customer_id, compensation.amount, operation_id=operation_id(order), actor=actor, now=now,
        reason=f"late delivery compensation for order #{order.number}: {compensation.reason}")
    await notices.compensation_credited(session, tenant, order, days_late, compensation.amount, now=now)
    return entry
