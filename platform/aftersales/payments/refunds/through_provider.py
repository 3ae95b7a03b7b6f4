"""Giving money of a payment back through its provider and recording it, whichever provider it is.

The ledger's limit is checked before the provider is called, so a provider is never asked for more than was
captured and not yet refunded. The provider gets our operation id (``refund:{request id}`` for a refund request):
Stripe derives its idempotency key from it and first looks for a refund carrying it, so a retry after a crash
between the provider's answer and the ledger write finds the first refund instead of making a second.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import Conflict
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger import splits
from aftersales.payments.ledger.models import Payment
from aftersales.payments.ledger.services import LedgerRefused, Posting
from aftersales.payments.providers.base import PaymentProvider, ProviderOutcome, RefundOrder


async def refund_through(session: AsyncSession, provider: PaymentProvider, payment: Payment, amount_minor: int,
                         posting: Posting) -> ProviderOutcome:
    """Refund ``amount_minor`` of ``payment`` through ``provider``; once it succeeded, post it under
    ``posting.operation_id`` and take a marketplace job's payout and fee back in proportion.

    :raises LedgerRefused: more than is refundable; the provider is not called.
    :raises Conflict: the provider cannot refund this payment (no refunds, or only whole ones).
    """
    if not provider.capabilities.refund:
        raise Conflict(f"{provider.name} payments cannot be refunded through the provider")
    if not provider.capabilities.partial_refund and amount_minor != payment.amount_minor:
        raise Conflict(f"{provider.name} refunds only whole payments")
    totals = await ledger.payment_totals(session, payment.id)
    wanted = Money(amount_minor, payment.currency)
    if wanted > totals.refundable:
        raise LedgerRefused(f"{wanted} is more than can be given back: {totals.refundable} left of "
                            f"{totals.captured} captured")
    outcome = await provider.refund(RefundOrder(payment.id, payment.provider_ref, posting.operation_id, wanted,
                                                posting.reason, reverse_transfer=payment.purpose == "job"))
    if outcome.state == "succeeded":
        await post_refund(session, payment, amount_minor, replace(posting, provider_ref=outcome.provider_ref))
    return outcome


async def post_refund(session: AsyncSession, payment: Payment, amount_minor: int, posting: Posting) -> None:
    """Post money of ``payment`` given back, and for a marketplace job reverse its split in proportion."""
    await ledger.post_refund(session, payment.id, amount_minor, posting)
    if payment.purpose == "job":
        await splits.reverse_split(session, payment.id, posting=posting)
