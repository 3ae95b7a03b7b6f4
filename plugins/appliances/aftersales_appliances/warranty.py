"""Warranty terms and claim rules of home appliances (seed 001, Entekhab): two years of warranty, ten of parts,
installation and repair by authorised technicians, and installation damage covered only from a sealed box."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from aftersales.contract import (
    Checklist,
    ClaimAssessment,
    ClaimDecision,
    ClaimFacts,
    ClaimKind,
    DefectType,
    ProductInfo,
    SaleInfo,
    WarrantyTerms,
    messages,
)
from aftersales_appliances.settings import AppliancesSettings

_ = messages("aftersales_appliances")


def warranty_terms(settings: AppliancesSettings, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms:
    months = product.warranty_months or settings.warranty_months
    exclusions = [_("misuse or damage")]
    if settings.authorised_technician_required:
        exclusions.append(_("installation or repair during the warranty by anyone but an authorised technician"))
    if settings.installation_damage_requires_sealed_delivery:
        exclusions.append(_("damage found at installation when the box was not sealed on delivery"))
    return WarrantyTerms(
        warranty_start=sale.sold_on,
        warranty_end=sale.sold_on + relativedelta(months=months),
        parts_support_end=sale.sold_on + relativedelta(years=settings.parts_support_years),
        exclusions=tuple(exclusions),
        reasons=(_("{months}-month warranty from the sale", months=months),
                 _("parts and support for {years} years from the sale", years=settings.parts_support_years)),
    )


def assess_claim(settings: AppliancesSettings, claim: ClaimFacts, terms: WarrantyTerms) -> ClaimAssessment | None:
    if claim.kind not in (ClaimKind.WARRANTY_REPAIR, ClaimKind.PAID_REPAIR):
        return None  # no return or exchange window in seed 001: the core's default refuses them
    if _excluded(claim, terms):
        return None  # a component the terms exclude: the core default rejects it with their reason
    parts = terms.parts_support_end
    if parts is not None and claim.reported_on > parts:
        return ClaimAssessment(ClaimDecision.REJECT, failed_conditions=(
            _("parts and support ended on {day}", day=parts),))
    charged = (_("the repair is charged"),)
    if claim.kind is ClaimKind.PAID_REPAIR:
        return ClaimAssessment(ClaimDecision.PAID_REPAIR, reasons=charged)
    checks = Checklist()
    checks.within(claim.reported_on, terms.warranty_end, _("warranty"))
    checks.require(not claim.misuse_or_damage, _("misuse or damage is not covered"))
    checks.require(claim.defect is not DefectType.NONE, _("no defect was recorded"))
    if settings.authorised_technician_required:
        checks.require(claim.installed_by_authorised_technician,
                       _("installation or repair during the warranty must be done by an authorised technician"),
                       unrecorded=_("record whether an authorised technician installed the unit"))
    if claim.defect is DefectType.INSTALLATION_DAMAGE and settings.installation_damage_requires_sealed_delivery:
        checks.require(claim.delivered_sealed,
                       _("damage found at installation is covered only if the box was sealed on delivery"),
                       unrecorded=_("record whether the box was sealed on delivery"))
    if not checks.passed:
        return ClaimAssessment(ClaimDecision.PAID_REPAIR, failed_conditions=checks.as_tuple(), reasons=charged)
    return ClaimAssessment(ClaimDecision.FREE_REPAIR, reasons=(
        _("inside the warranty: an authorised technician repairs it free of charge"),))


def _excluded(claim: ClaimFacts, terms: WarrantyTerms) -> bool:
    """A warranty repair of a component the terms itemise as not covered (``CoverageItem(covered=False)``)."""
    item = terms.item(claim.component) if claim.component else None
    return claim.kind is ClaimKind.WARRANTY_REPAIR and item is not None and not item.covered
