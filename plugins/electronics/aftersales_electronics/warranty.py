"""Warranty terms, claim rules, the warranty card and replace-or-refund of devices (seed 000, Mehr; seed 004,
Golden Laser): repair under warranty with the card shown, and a replacement or a refund after a long repair."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from aftersales.contract import (
    CardEvidence,
    CardVerdict,
    Checklist,
    ClaimAssessment,
    ClaimDecision,
    ClaimFacts,
    ClaimKind,
    DefectType,
    ProductInfo,
    ResolutionContext,
    ResolutionOption,
    SaleInfo,
    WarrantyTerms,
)
from aftersales_electronics.settings import ElectronicsSettings


def warranty_terms(settings: ElectronicsSettings, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms:
    months = product.warranty_months or settings.warranty_months
    reasons = [f"{months}-month warranty from the sale"]
    if settings.software_upgrades_free:
        reasons.append("software upgrades are free from the purchase date")
    return WarrantyTerms(
        warranty_start=sale.sold_on,
        warranty_end=sale.sold_on + relativedelta(months=months),
        exclusions=("misuse or physical damage",),
        reasons=tuple(reasons),
    )


def assess_claim(settings: ElectronicsSettings, claim: ClaimFacts, terms: WarrantyTerms) -> ClaimAssessment | None:
    if claim.kind not in (ClaimKind.WARRANTY_REPAIR, ClaimKind.PAID_REPAIR):
        return None  # no return or exchange window in seeds 000 and 004: the core's default refuses them
    intake = (f"the device is taken in with its box; the receipt promises a result within "
              f"{settings.repair_result_business_days} business days")
    if claim.kind is ClaimKind.PAID_REPAIR:
        return ClaimAssessment(ClaimDecision.PAID_REPAIR, reasons=("the repair is charged", intake))
    checks = Checklist()
    checks.within(claim.reported_on, terms.warranty_end, "warranty")
    checks.require(claim.warranty_voucher_shown, "the warranty card was not shown")
    checks.require(not claim.misuse_or_damage, "misuse or physical damage is not covered")
    checks.require(claim.defect is not DefectType.NONE, "no defect was recorded")
    if not checks.passed:
        return ClaimAssessment(ClaimDecision.PAID_REPAIR, failed_conditions=checks.as_tuple(),
                               reasons=("the repair is charged", intake))
    return ClaimAssessment(ClaimDecision.FREE_REPAIR, reasons=("inside the warranty, card shown", intake))


def judge_card(settings: ElectronicsSettings, card: CardEvidence) -> CardVerdict | None:
    """Seed 000: a genuine card carries a hologram whose code is verified with the card code."""
    if not settings.hologram_required:
        return None
    if not card.unit_has_hologram:
        return CardVerdict(False, (("this unit was registered without a hologram: a card without one is not a "
                                   "genuine warranty card of this company"),))
    if not card.hologram_code_given:
        return CardVerdict(False, (("a genuine warranty card carries a hologram: enter the hologram's code "
                                    "with the card code; a card without a hologram is not genuine"),))
    return None  # the hologram is on record and given: whether the codes match is the core's check


def resolution_options(settings: ElectronicsSettings, context: ResolutionContext) -> list[ResolutionOption]:
    """Seed 000: once due, a replacement, or a refund of the invoice price if it was the market price, else of
    the price an expert assessed (no refund is offered until that price is recorded)."""
    due_after = settings.replacement_after_business_days
    if context.business_days_in_service < due_after and not context.replacement_approved_by_expert:
        return [ResolutionOption(kind="repair", reason=(
            f"the repair continues: a replacement is due after {due_after} business days at the service centre "
            f"({context.business_days_in_service} so far) or when the experts judge it"))]
    replacement = ResolutionOption(kind="replacement", reason="a replacement device of the same model")
    if context.invoice_price is not None and context.invoice_price_was_market_price:
        return [replacement, ResolutionOption(
            kind="refund", amount=context.invoice_price,
            reason="a refund of the purchase invoice price, which was the market price at invoice time")]
    if context.expert_price is not None:
        return [replacement, ResolutionOption(
            kind="refund", amount=context.expert_price,
            reason="a refund at the expert-assessed price, since the invoice price was not the market price")]
    return [replacement]
