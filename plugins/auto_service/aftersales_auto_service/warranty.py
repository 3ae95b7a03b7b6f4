"""Warranty terms and claim rules of garage equipment (seed 003, Yizhongyi): return within 7 days, exchange
within 15 for a quality defect, free repair inside the warranty, and on-site service for large items.

A tenant without one of these rules says so (seed 002, Carmax, a marketplace: no free warranty, no return or
exchange, nothing "sold by the company"): its terms state what it does not offer, and a claim for it is refused
with that reason rather than judged by another company's checklist."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from aftersales.contract import (
    Checklist,
    ClaimAssessment,
    ClaimDecision,
    ClaimFacts,
    ClaimKind,
    DefectType,
    Message,
    ProductInfo,
    SaleInfo,
    WarrantyTerms,
    messages,
)
from aftersales_auto_service.charges import charged_terms
from aftersales_auto_service.settings import AutoServiceSettings

REPAIRABLE_DEFECTS = (DefectType.FUNCTIONAL, DefectType.QUALITY)
_ = messages("aftersales_auto_service")


def warranty_terms(settings: AutoServiceSettings, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms:
    months = product.warranty_months or settings.warranty_months
    restarted = (settings.warranty_restarts_on_exchange and bool(settings.exchange_days) and months > 0
                 and sale.exchanged_on is not None)
    start = sale.exchanged_on if restarted and sale.exchanged_on else sale.sold_on
    if not months:  # ends where it starts: the core's "no_warranty"
        reasons = [_("no free warranty is offered: repairs are charged")]
    elif restarted:
        reasons = [_("{months}-month free warranty from the exchange on {day} (it restarts on exchange)",
                     months=months, day=start)]
    else:
        reasons = [_("{months}-month free warranty from the sale", months=months)]
    reasons.append(_windows(settings))
    exclusions = [_("misuse or damage")]
    if settings.sells_units:
        exclusions.append(_("units not sold by the company (repair is charged)"))
    return WarrantyTerms(
        warranty_start=start,
        warranty_end=start + relativedelta(months=months),
        return_until=sale.sold_on + timedelta(days=settings.return_days) if settings.return_days else None,
        exchange_until=sale.sold_on + timedelta(days=settings.exchange_days) if settings.exchange_days else None,
        restarts_on_exchange=settings.warranty_restarts_on_exchange and bool(settings.exchange_days),
        exclusions=tuple(exclusions),
        reasons=tuple(reasons),
    )


def _windows(settings: AutoServiceSettings) -> Message:
    """The return and exchange windows, or that the tenant does not offer one or both."""
    if settings.return_days and settings.exchange_days:
        return _("return within {return_days} days and exchange for a quality defect within {exchange_days} days "
                 "of the sale", return_days=settings.return_days, exchange_days=settings.exchange_days)
    if settings.return_days:
        return _("return within {return_days} days of the sale; exchanges are not offered",
                 return_days=settings.return_days)
    if settings.exchange_days:
        return _("exchange for a quality defect within {exchange_days} days of the sale; returns are not offered",
                 exchange_days=settings.exchange_days)
    return _("returns and exchanges are not offered")


def assess_claim(settings: AutoServiceSettings, claim: ClaimFacts, terms: WarrantyTerms) -> ClaimAssessment | None:
    if _excluded(claim, terms):
        return None  # a component the terms exclude: the core default rejects it with their reason
    large = settings.is_large(claim.product)
    if claim.kind is ClaimKind.RETURN:
        if not settings.return_days:
            return ClaimAssessment(ClaimDecision.REJECT, failed_conditions=(
                _("returns are not offered: a unit is not taken back for a refund"),))
        return _assess_return(claim, terms)
    if claim.kind is ClaimKind.EXCHANGE:
        if not settings.exchange_days:
            return ClaimAssessment(ClaimDecision.REJECT, failed_conditions=(
                _("exchanges are not offered: a unit is not swapped for a new one"),))
        return _assess_exchange(settings, claim, terms, large)
    return _assess_repair(settings, claim, terms, large)


def _excluded(claim: ClaimFacts, terms: WarrantyTerms) -> bool:
    """A warranty repair of a component the terms itemise as not covered (``CoverageItem(covered=False)``)."""
    item = terms.item(claim.component) if claim.component else None
    return claim.kind is ClaimKind.WARRANTY_REPAIR and item is not None and not item.covered


def _assess_return(claim: ClaimFacts, terms: WarrantyTerms) -> ClaimAssessment:
    checks = Checklist()
    checks.within(claim.reported_on, terms.return_until, _("return period"))
    checks.require(claim.packaging_complete, _("the packaging is not complete"))
    checks.require(claim.accessories_complete, _("the accessories are not complete"))
    checks.require(claim.product_number_matches, _("the product number does not match the sale"))
    checks.require(not claim.parts_replaced_or_removed, _("parts have been replaced or removed"))
    checks.require(not claim.misuse_or_damage, _("the unit shows misuse or damage and cannot be resold"))
    checks.require(claim.receipts_shown, _("the receipts were not shown"))
    checks.require(claim.warranty_voucher_shown, _("the warranty voucher was not shown"))
    checks.require(claim.paid_in_full, _("the unit is not fully paid"))
    if not checks.passed:
        return ClaimAssessment(ClaimDecision.REJECT, failed_conditions=checks.as_tuple())
    return ClaimAssessment(ClaimDecision.RETURN, reasons=(
        _("every return condition holds: the customer brings the goods back for a refund"),))


def _assess_exchange(settings: AutoServiceSettings, claim: ClaimFacts, terms: WarrantyTerms,
                     large: bool) -> ClaimAssessment:
    checks = Checklist()
    checks.within(claim.reported_on, terms.exchange_until, _("exchange period"))
    checks.require(claim.packaging_complete, _("the packaging is not complete"))
    checks.require(not claim.misuse_or_damage, _("the unit shows misuse or damage"))
    checks.require(claim.receipts_shown, _("the receipts were not shown"))
    checks.require(claim.defect is DefectType.QUALITY, _("an exchange needs a quality defect"))
    if not checks.passed:
        return ClaimAssessment(ClaimDecision.REJECT, failed_conditions=checks.as_tuple())
    reasons = [_("every exchange condition holds: the unit is exchanged for a new one")]
    if settings.warranty_restarts_on_exchange:
        reasons.append(_("the free warranty restarts from the exchange date"))
    if large:
        reasons.append(_("a large item (over {volume} m³ or {weight} kg): the exchange is arranged by phone first",
                         volume=Decimal(f"{settings.large_item_volume_m3:g}"),
                         weight=Decimal(f"{settings.large_item_weight_kg:g}")))
    return ClaimAssessment(ClaimDecision.EXCHANGE, reasons=tuple(reasons), arrange_by_phone_first=large)


def _assess_repair(settings: AutoServiceSettings, claim: ClaimFacts, terms: WarrantyTerms,
                   large: bool) -> ClaimAssessment:
    onsite = _("a large item: staff on site within {hours} h of the report ({most} h at most in special cases)",
               hours=settings.onsite_hours, most=settings.onsite_hours_large_item_max)
    onsite_reasons = (onsite,) if large else ()
    charged = _("repair is charged") if settings.sells_units else _("repair is charged at the provider's prices")
    charged_reasons = (charged, *charged_terms(settings))
    if claim.kind is ClaimKind.PAID_REPAIR:
        return ClaimAssessment(ClaimDecision.PAID_REPAIR, reasons=charged_reasons + onsite_reasons, requires_onsite_visit=large)
    if terms.warranty_end <= terms.warranty_start:
        return ClaimAssessment(ClaimDecision.PAID_REPAIR, failed_conditions=(
            _("no free warranty is offered: repairs are charged"),), reasons=charged_reasons + onsite_reasons,
            requires_onsite_visit=large)
    checks = Checklist()
    if settings.sells_units:
        checks.require(claim.sold_by_tenant, _("the unit was not sold by the company"))
    checks.within(claim.reported_on, terms.warranty_end, _("free warranty"))
    checks.require(not claim.misuse_or_damage, _("the unit shows misuse or damage"))
    checks.require(claim.receipts_shown, _("the receipts were not shown"))
    checks.require(claim.defect in REPAIRABLE_DEFECTS, _("free repair covers functional faults only"))
    if not checks.passed:
        return ClaimAssessment(ClaimDecision.PAID_REPAIR, failed_conditions=checks.as_tuple(),
                               reasons=charged_reasons + onsite_reasons, requires_onsite_visit=large)
    return ClaimAssessment(ClaimDecision.FREE_REPAIR, reasons=(_("a functional fault inside the free warranty"), *onsite_reasons), requires_onsite_visit=large)
