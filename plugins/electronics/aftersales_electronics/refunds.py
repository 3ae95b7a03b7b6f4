"""Mehr's replace-or-refund rule (seed 000): a device that qualifies for replacement may be refunded instead,
at the price on the purchase invoice when that was the market price at invoice time, otherwise at the price
the experts assess. Other refunds are left to the core's default.
"""

from __future__ import annotations

from aftersales.contract import RefundDecision, RefundFacts, RefundMethod, messages

_ = messages("aftersales_electronics")


def refund_decision(refund: RefundFacts) -> RefundDecision | None:
    """The seed 000 decision for a ``replacement_refund``; None for any other refund."""
    if refund.source != "replacement_refund":
        return None
    zero = refund.requested - refund.requested
    methods = (RefundMethod.ORIGINAL_PAYMENT, RefundMethod.BANK_TRANSFER)
    if refund.invoice_price is None or refund.invoice_price_was_market_price is None:
        return RefundDecision(
            allowed=zero, methods=methods, requirements=("invoice_price",),
            reasons=(_("the refund is at the invoice price when it was the market price at invoice time: the "
                       "invoice price, and whether it was the market price, must be recorded first"),))
    if refund.invoice_price_was_market_price:
        return RefundDecision(
            allowed=refund.invoice_price, methods=methods, needs_finance_approval=True,
            reasons=(_("refunded at the invoice price {price}, the market price at invoice time",
                       price=refund.invoice_price),))
    if refund.expert_price is None:
        return RefundDecision(
            allowed=zero, methods=methods, requirements=("expert_price",),
            reasons=(_("the invoice price was not the market price at invoice time: the refund is at the "
                       "expert-assessed price, which must be recorded first"),))
    return RefundDecision(
        allowed=refund.expert_price, methods=methods, needs_finance_approval=True,
        reasons=(_("the invoice price {invoice} was not the market price at invoice time: refunded "
                   "at the expert-assessed price {expert}", invoice=refund.invoice_price, expert=refund.expert_price),))
