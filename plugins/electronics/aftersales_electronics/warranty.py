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
    messages,
)
from aftersales_electronics.settings import ElectronicsSettings

_ = messages("aftersales_electronics")


def warranty_terms(settings: ElectronicsSettings, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms:
    months = product.warranty_months or settings.warranty_months
    reasons = [_("{months}-month warranty from the sale", months=months)]
    if settings.software_upgrades_free:
        reasons.append(_("software upgrades are free from the purchase date"))
    return WarrantyTerms(
        warranty_start=sale.sold_on,
        warranty_end=sale.sold_on + relativedelta(months=months),
        exclusions=(_("misuse or physical damage"),),
        reasons=tuple(reasons),
    )


def assess_claim(settings: ElectronicsSettings, claim: ClaimFacts, terms: WarrantyTerms) -> ClaimAssessment | None:
    if claim.kind not in (ClaimKind.WARRANTY_REPAIR, ClaimKind.PAID_REPAIR):
        return None  # no return or exchange window in seeds 000 and 004: the core's default refuses them
    if _excluded(claim, terms):
        return None  # a component the terms exclude: the core default rejects it with their reason
    intake = _("the device is taken in with its box; the receipt promises a result within {days} business days",
               days=settings.repair_result_business_days)
    charged = _("the repair is charged")
    if claim.kind is ClaimKind.PAID_REPAIR:
        return ClaimAssessment(ClaimDecision.PAID_REPAIR, reasons=(charged, intake))
    checks = Checklist()
    checks.within(claim.reported_on, terms.warranty_end, _("warranty"))
    checks.require(claim.warranty_voucher_shown, _("the warranty card was not shown"))
    checks.require(not claim.misuse_or_damage, _("misuse or physical damage is not covered"))
    checks.require(claim.defect is not DefectType.NONE, _("no defect was recorded"))
    if not checks.passed:
        return ClaimAssessment(ClaimDecision.PAID_REPAIR, failed_conditions=checks.as_tuple(),
                               reasons=(charged, intake))
    return ClaimAssessment(ClaimDecision.FREE_REPAIR, reasons=(_("inside the warranty, card shown"), intake))


def _excluded(claim: ClaimFacts, terms: WarrantyTerms) -> bool:
    """A warranty repair of a component the terms itemise as not covered (``CoverageItem(covered=False)``)."""
    item = terms.item(claim.component) if claim.component else None
    return claim.kind is ClaimKind.WARRANTY_REPAIR and item is not None and not item.covered


def judge_card(settings: ElectronicsSettings, card: CardEvidence) -> CardVerdict | None:
    """Seed 000: a genuine card carries a hologram whose code is verified with the card code."""
    if not settings.hologram_required:
        return None
    if not card.unit_has_hologram:
        return CardVerdict(False, (_("this unit was registered without a hologram: a card without one is not a "
                                     "genuine warranty card of this company"),))
    if not card.hologram_code_given:
        return CardVerdict(False, (_("a genuine warranty card carries a hologram: enter the hologram's code "
                                     "with the card code; a card without a hologram is not genuine"),))
    return None  # the hologram is on record and given: whether the codes match is the core's check


def resolution_options(settings: ElectronicsSettings, context: ResolutionContext) -> list[ResolutionOption]:
    """Seed 000: once due, a replacement, or a refund of the invoice price if it was the market price, else of
    the price an expert assessed (no refund is offered until that price is recorded)."""
    due_after = settings.replacement_after_business_days
    if context.business_days_in_service < due_after and not context.replacement_approved_by_expert:
        return [ResolutionOption(kind="repair", reason=_(
            "the repair continues: a replacement is due after {due} business days at the service centre "
            "({so_far} so far) or when the experts judge it", due=due_after, so_far=context.business_days_in_service))]
    replacement = ResolutionOption(kind="replacement", reason=_("a replacement device of the same model"))
    if context.invoice_price is not None and context.invoice_price_was_market_price:
        return [replacement, ResolutionOption(
            kind="refund", amount=context.invoice_price,
            reason=_("a refund of the purchase invoice price, which was the market price at invoice time"))]
    if context.expert_price is not None:
        return [replacement, ResolutionOption(
            kind="refund", amount=context.expert_price,
            reason=_("a refund at the expert-assessed price, since the invoice price was not the market price"))]
    return [replacement]
