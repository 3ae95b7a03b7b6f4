"""The appliances vertical's hooks (entry point ``appliances`` in the ``aftersales.verticals`` group).

Pure functions of their arguments, like every hook: the tenant's rules arrive as ``tenant.settings``.

No ``aftersales_sla_targets`` or ``aftersales_followups`` here: seed 001 promises a 24/7 call centre but no
service time (no first-contact, visit or repair deadline) and no follow-up schedule, so Entekhab's requests
run the core's first response within 2 business days and its satisfaction survey after a closed request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aftersales.contract import (
    ClaimAssessment,
    ClaimFacts,
    DispatchTerms,
    JobFacts,
    LateDelivery,
    LateDeliveryCompensation,
    OfferingSpec,
    OrderTerms,
    ProductInfo,
    ProviderCandidate,
    Quote,
    RankedProvider,
    RefundDecision,
    RefundFacts,
    SaleInfo,
    SerialCheck,
    TenantContext,
    VerticalInfo,
    WarrantyTerms,
    check_pattern,
    hookimpl,
    messages,
)
from aftersales_appliances import __version__, catalogue, orders, quotes, ranking, refunds, warranty
from aftersales_appliances import delivery as delivery_rules
from aftersales_appliances.serials import pattern_for_model
from aftersales_appliances.settings import AppliancesSettings

NAME = "appliances"
_ = messages("aftersales_appliances")
THIS_MODELS = _("this model's")
"""Whose format a serial of this vertical must have, said in its refusal."""


@hookimpl
def aftersales_vertical_info() -> VerticalInfo:
    return VerticalInfo(
        name=NAME,
        title="Home appliances",
        version=__version__,
        description=(
            "Appliances sold through stores and installed by authorised technicians: model-specific serials, "
            "long parts support, pro-forma invoices, and wallet and cash refunds under fixed thresholds."
        ),
        settings_schema=AppliancesSettings,
        kind="vertical",
    )


@hookimpl
def aftersales_validate_serial(
    tenant: TenantContext, serial: str, product: ProductInfo | None
) -> SerialCheck:
    settings = tenant.settings_as(AppliancesSettings)
    sku = product.sku if product is not None else None
    scheme, pattern = pattern_for_model(sku, settings.serial_patterns, settings.default_serial_pattern)
    return check_pattern(serial, pattern, scheme, whose=THIS_MODELS)


@hookimpl
def aftersales_validate_serials(
    tenant: TenantContext, serials: Sequence[str], products: Sequence[ProductInfo | None]
) -> list[SerialCheck]:
    settings = tenant.settings_as(AppliancesSettings)
    patterns: dict[str | None, tuple[str, str]] = {}  # an import's rows name few models: the pattern is chosen once per SKU
    checks: list[SerialCheck] = []
    for serial, product in zip(serials, products, strict=True):
        sku = product.sku if product is not None else None
        if sku not in patterns:
            patterns[sku] = pattern_for_model(sku, settings.serial_patterns, settings.default_serial_pattern)
        scheme, pattern = patterns[sku]
        checks.append(check_pattern(serial, pattern, scheme, whose=THIS_MODELS))
    return checks


@hookimpl
def aftersales_warranty_terms(tenant: TenantContext, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms:
    return warranty.warranty_terms(tenant.settings_as(AppliancesSettings), product, sale)


@hookimpl
def aftersales_assess_claim(
    tenant: TenantContext, claim: ClaimFacts, terms: WarrantyTerms, today: date
) -> ClaimAssessment | None:
    return warranty.assess_claim(tenant.settings_as(AppliancesSettings), claim, terms)


@hookimpl
def aftersales_service_catalogue(tenant: TenantContext) -> list[OfferingSpec]:
    return catalogue.service_catalogue()


@hookimpl
def aftersales_quote(tenant: TenantContext, job: JobFacts) -> Quote:
    return quotes.quote(tenant.settings_as(AppliancesSettings), job)


@hookimpl
def aftersales_rank_providers(tenant: TenantContext, offering: str,
                              candidates: Sequence[ProviderCandidate]) -> list[RankedProvider]:
    return ranking.rank_providers(candidates)


@hookimpl
def aftersales_order_terms(tenant: TenantContext) -> OrderTerms:
    return orders.order_terms(tenant.settings_as(AppliancesSettings))


@hookimpl
def aftersales_refund_policy(tenant: TenantContext, refund: RefundFacts) -> RefundDecision | None:
    return refunds.refund_decision(tenant.settings_as(AppliancesSettings), refund)


@hookimpl
def aftersales_late_delivery_compensation(tenant: TenantContext, delivery: LateDelivery) -> LateDeliveryCompensation:
    return delivery_rules.compensation(tenant.settings_as(AppliancesSettings), delivery)


@hookimpl
def aftersales_dispatch_terms(tenant: TenantContext) -> DispatchTerms:
    """Entekhab (seed 001): an in-warranty visit goes only to a technician authorised for the product's category
    on the day. The seed names no plan cut-off, so none is set."""
    settings = tenant.settings_as(AppliancesSettings)
    return DispatchTerms(warranty_needs_authorisation=settings.authorised_technician_required)
