"""Giving money back through Stripe and recording it: the ledger's limit is checked before Stripe is called, and
a retry with the same operation id after a crash finds the first refund instead of making a second."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.money import Money
from aftersales.payments import ledger, settlement
from aftersales.payments.ledger import LedgerRefused, Posting
from aftersales.payments.models import Payment
from aftersales.payments.providers import ProviderOutcome, RefundOrder
from aftersales.payments.stripe_provider import StripeProvider


async def refund_through_stripe(session: AsyncSession, provider: StripeProvider, payment: Payment,
                                amount_minor: int, posting: Posting) -> ProviderOutcome:
    """Refund ``amount_minor`` of a Stripe payment and post it under ``posting.operation_id``
    (``refund:{request id}`` for a refund request); a job payment's payout and fee are reversed in proportion.

    :raises LedgerRefused: more than is refundable: Stripe is not called.
    """
    totals = await ledger.payment_totals(session, payment.id)
    wanted = Money(amount_minor, payment.currency)
    already = await ledger.entries(session, payment_id=payment.id)
    if not any(e.operation_id == posting.operation_id for e in already) and wanted > totals.refundable:
        raise LedgerRefused(f"{wanted} is more than can be given back: {totals.refundable} left of "
                            f"{totals.captured} captured")
    outcome = await provider.refund(RefundOrder(payment.id, payment.provider_ref, posting.operation_id, wanted,
                                                posting.reason, reverse_transfer="split" in payment.details))
    if outcome.state == "succeeded":
        await ledger.post_refund(session, payment.id, amount_minor, replace(posting, provider_ref=outcome.provider_ref))
        await settlement.reverse_split(session, payment.id, posting=posting)
    return outcome
