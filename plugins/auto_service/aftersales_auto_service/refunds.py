"""Refund rules of the auto-service tenants.

* A return (seed 003, Yizhongyi 包退) within ``return_days`` (7) of the sale refunds the full price, and only
  when it was paid in full; on day 8, or one minor unit short, it is refused with the reason. The sale is the
  registered unit's purchase date (a refund naming no unit is refused, asking for it), and the refund is tied to
  the claim that qualified: only a claim decided as a return is refunded, and one reported in time still is when
  the refund is asked after the period. The other return conditions
  (packaging, accessories, no damage) are that claim assessment's, judged before a refund is asked.
* A tenant that offers no return (``return_days = 0``, seed 002 Carmax) refunds none, and says so.
* A marketplace job (seed 002, Carmax) is refunded up to what was paid, back to the original payment only.

Both need finance approval. Other refunds are left to the core's default.
"""

from __future__ import annotations

from aftersales.contract import ClaimDecision, RefundDecision, RefundFacts, RefundMethod, messages
from aftersales_auto_service.settings import AutoServiceSettings

_ = messages("aftersales_auto_service")


def refund_decision(settings: AutoServiceSettings, refund: RefundFacts) -> RefundDecision | None:
    """The decision for a return or a marketplace job's refund; None for any other refund."""
    if refund.source == "return":
        return _return(settings, refund)
    if refund.source == "payment" and refund.purpose == "job":
        paid = refund.paid if refund.paid is not None else refund.requested
        return RefundDecision(
            allowed=min(refund.requested, paid), methods=(RefundMethod.ORIGINAL_PAYMENT,),
            needs_finance_approval=True,
            reasons=(_("a marketplace job is refunded up to what was paid ({paid}), to the original payment", paid=paid),))
    return None


def _return(settings: AutoServiceSettings, refund: RefundFacts) -> RefundDecision:
    zero = refund.requested - refund.requested
    if not settings.return_days:
        return RefundDecision(allowed=zero, methods=(), reasons=(
            _("returns are not offered: a unit is not taken back for a refund"),))
    methods = (RefundMethod.ORIGINAL_PAYMENT,)
    if refund.days_since_sale is None:
        return RefundDecision(allowed=zero, methods=methods, requirements=("sale_date",), reasons=(
            _("a return is judged from the sale date of the registered unit; this refund names no unit "
              "(name the return claim)"),))
    if refund.paid is None:
        return RefundDecision(allowed=zero, methods=methods, requirements=("payment",),
                              reasons=(_("a return is judged from the sale's date and payment"),))
    # A claim decided as a return was reported within the period (its assessment checked that): the refund
    # may be asked later. Without one, the sale's age is the first reason to give.
    accepted = refund.claim_decision is ClaimDecision.RETURN
    if not accepted and refund.days_since_sale > settings.return_days:
        return RefundDecision(allowed=zero, methods=(), reasons=(
            _("a return is refunded within {days} days of the sale; this sale was {ago} days ago",
              days=settings.return_days, ago=refund.days_since_sale),))
    if refund.claim_decision is None:
        return RefundDecision(allowed=zero, methods=methods, requirements=("return_claim",), reasons=(
            _("a return is refunded only for a return claim accepted on the unit; this refund names none"),))
    if not accepted:
        return RefundDecision(allowed=zero, methods=(), reasons=(
            _("a return is refunded only for a return claim accepted on the unit; the claim named was decided: "
              "{decision}", decision=refund.claim_decision.value),))
    if not refund.paid_in_full:
        return RefundDecision(allowed=zero, methods=(), reasons=(
            _("a return refunds the full price only when it was paid in full; {paid} of it was paid", paid=refund.paid),))
    return RefundDecision(allowed=refund.paid, methods=methods, needs_finance_approval=True, reasons=(
        _("returned within {days} days of the sale and paid in full: the full price {paid} is refunded",
          days=settings.return_days, paid=refund.paid),))
