"""Entekhab's refund rules (seed 001): wallet balances and cash refunds under fixed thresholds.

* A wallet (store credit) balance under ``wallet_refund_below_irr`` (500,000 toman) is refundable: it is paid
  out by bank transfer and registered as a follow-up for finance. At or above it, it can only be spent on
  products.
* A cash refund under ``cash_refund_below_irr`` (3,000,000 toman) is paid to the customer's IBAN (Sheba) and
  needs verified identity (a national ID with a valid check digit, checked by staff) and an IBAN the bank
  confirms belongs to that same national ID; each missing one is named.
* At or above that, the seed registers no cash refund: the request is refused for cash and store credit
  (the wallet) is offered for the same amount instead. A refund asked for as store credit needs neither
  identity nor IBAN.

A returned unit that is already installed is not refunded: a fault found at or after installation goes to
after-sales for repair (seed 001: "with a sealed delivery, a problem with the product is referred to the
after-sales unit"), unless the warranty claim it comes from was itself decided as a return.

Thresholds are in IRR (1 toman = 10 rial); a payment in another currency is left to the core's default.
Every Entekhab refund goes to finance for approval (the seed registers them as follow-up tickets).
"""

from __future__ import annotations

from decimal import Decimal

from aftersales.contract import ClaimDecision, Money, RefundDecision, RefundFacts, RefundMethod, messages
from aftersales_appliances.settings import AppliancesSettings

_ = messages("aftersales_appliances")


def toman(irr: int) -> Decimal:
    """``5000000`` rial as ``500000`` toman, ``4999999`` as ``499999.9`` (a message writes them ``500,000``)."""
    return Decimal(irr) / 10


def refund_decision(settings: AppliancesSettings, refund: RefundFacts) -> RefundDecision | None:
    """The seed 001 decision, or None for a refund the seed says nothing about (another currency, a
    replacement refund)."""
    if refund.requested.currency != "IRR":
        return None
    if refund.source == "wallet_balance":
        return _wallet_balance(settings, refund)
    if refund.source in ("payment", "return"):
        return _payment(settings, refund)
    return None


def _wallet_balance(settings: AppliancesSettings, refund: RefundFacts) -> RefundDecision:
    balance = refund.wallet_balance if refund.wallet_balance is not None else refund.requested
    limit = settings.wallet_refund_below_irr
    if balance.amount_minor >= limit:
        return RefundDecision(
            allowed=Money(0, "IRR"), methods=(),
            reasons=(_("a wallet balance of {balance} toman is at or above {limit} toman: it can only be spent on "
                       "products", balance=toman(balance.amount_minor), limit=toman(limit)),))
    return RefundDecision(
        allowed=min(refund.requested, balance), methods=(RefundMethod.BANK_TRANSFER,), needs_finance_approval=True,
        reasons=(_("a wallet balance under {limit} toman is refundable by bank transfer; "
                   "registered as a follow-up for finance", limit=toman(limit)),))


def _payment(settings: AppliancesSettings, refund: RefundFacts) -> RefundDecision:
    amount = min(refund.requested, refund.paid) if refund.paid is not None else refund.requested
    if refund.source == "return" and refund.installed and refund.claim_decision is not ClaimDecision.RETURN:
        return RefundDecision(allowed=Money(0, "IRR"), methods=(), reasons=(
            _("the unit is already installed: a fault found at or after installation is repaired by after-sales, "
              "not refunded"),))
    if refund.wanted is RefundMethod.WALLET:
        return RefundDecision(allowed=amount, methods=(RefundMethod.WALLET,), needs_finance_approval=True,
                              reasons=(_("refunded as store credit to the customer's wallet"),))
    limit = settings.cash_refund_below_irr
    if amount.amount_minor >= limit:
        return RefundDecision(
            allowed=Money(0, "IRR"), methods=(RefundMethod.WALLET,),
            reasons=(_("a cash refund is registered only under {limit} toman and {asked} toman was asked; it can be "
                       "refunded as store credit (wallet) instead", limit=toman(limit), asked=toman(amount.amount_minor)),))
    missing = []
    if not refund.identity_verified:
        missing.append("identity_verified")
    if not refund.iban_on_file:
        missing.append("iban")
    elif not refund.iban_owner_matches_national_id:
        missing.append("iban_owner_matches_national_id")
    reasons = [_("a cash refund under {limit} toman is paid to the customer's IBAN (Sheba)", limit=toman(limit))]
    if "identity_verified" in missing:
        reasons.append(_("the customer's identity (national ID) must be verified by staff first"))
    if "iban" in missing:
        reasons.append(_("the customer must have an IBAN (Sheba) on file"))
    if "iban_owner_matches_national_id" in missing:
        reasons.append(_("the bank must confirm the IBAN belongs to the customer's own national ID"))
    return RefundDecision(allowed=amount, methods=(RefundMethod.BANK_TRANSFER,), requirements=tuple(missing),
                          needs_finance_approval=True, reasons=tuple(reasons))
