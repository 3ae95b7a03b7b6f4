"""The auto-service vertical's hooks (entry point ``auto_service`` in the ``aftersales.verticals`` group).

Pure functions of their arguments, like every hook: the tenant's rules arrive as ``tenant.settings``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aftersales.contract import (
    ClaimAssessment,
    ClaimFacts,
    DispatchTerms,
    FollowUpPlan,
    JobFacts,
    OfferingSpec,
    ProductInfo,
    ProviderCandidate,
    Quote,
    RankedProvider,
    RatingDecision,
    RatingFacts,
    RefundDecision,
    RefundFacts,
    RequestFacts,
    RequestKinds,
    SaleInfo,
    SerialCheck,
    ServiceEvent,
    SlaTarget,
    TenantContext,
    VerticalInfo,
    WarrantyTerms,
    check_pattern,
    hookimpl,
)
from aftersales_auto_service import (
    __version__,
    catalogue,
    followups,
    kinds,
    quotes,
    ranking,
    ratings,
    refunds,
    sla,
    warranty,
)
from aftersales_auto_service.serials import check_vin
from aftersales_auto_service.settings import AutoServiceSettings

NAME = "auto_service"


@hookimpl
def aftersales_vertical_info() -> VerticalInfo:
    return VerticalInfo(
        name=NAME,
        title="Auto service",
        version=__version__,
        description=(
            "Car servicing through a marketplace of providers and garage equipment sold with a warranty: "
            "VINs or equipment serials, return and exchange windows, on-site times, binding quotes."
        ),
        settings_schema=AutoServiceSettings,
        kind="vertical",
    )


@hookimpl
def aftersales_validate_serial(
    tenant: TenantContext, serial: str, product: ProductInfo | None
) -> SerialCheck:
    settings = tenant.settings_as(AutoServiceSettings)
    if settings.serial_scheme == "vin":
        return check_vin(serial)
    assert settings.serial_pattern is not None  # the settings schema requires it for the pattern scheme
    return check_pattern(serial, settings.serial_pattern)


@hookimpl
def aftersales_validate_serials(
    tenant: TenantContext, serials: Sequence[str], products: Sequence[ProductInfo | None]
) -> list[SerialCheck]:
    settings = tenant.settings_as(AutoServiceSettings)
    if settings.serial_scheme == "vin":
        return [check_vin(serial) for serial in serials]
    pattern = settings.serial_pattern
    assert pattern is not None
    return [check_pattern(serial, pattern) for serial in serials]


@hookimpl
def aftersales_warranty_terms(tenant: TenantContext, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms:
    return warranty.warranty_terms(tenant.settings_as(AutoServiceSettings), product, sale)


@hookimpl
def aftersales_assess_claim(
    tenant: TenantContext, claim: ClaimFacts, terms: WarrantyTerms, today: date
) -> ClaimAssessment | None:
    return warranty.assess_claim(tenant.settings_as(AutoServiceSettings), claim, terms)


@hookimpl
def aftersales_sla_targets(tenant: TenantContext, request: RequestFacts) -> list[SlaTarget]:
    return sla.sla_targets(tenant.settings_as(AutoServiceSettings), request)


@hookimpl
def aftersales_followups(tenant: TenantContext, event: ServiceEvent) -> list[FollowUpPlan]:
    return followups.followups(tenant.settings_as(AutoServiceSettings), event)


@hookimpl
def aftersales_rating_policy(tenant: TenantContext, rating: RatingFacts) -> RatingDecision | None:
    return ratings.rating_policy(tenant.settings_as(AutoServiceSettings), rating)


@hookimpl
def aftersales_service_catalogue(tenant: TenantContext) -> list[OfferingSpec]:
    return catalogue.service_catalogue(tenant.settings_as(AutoServiceSettings))


@hookimpl
def aftersales_quote(tenant: TenantContext, job: JobFacts) -> Quote:
    return quotes.quote(tenant.settings_as(AutoServiceSettings), job)


@hookimpl
def aftersales_rank_providers(tenant: TenantContext, offering: str,
                              candidates: Sequence[ProviderCandidate]) -> list[RankedProvider]:
    return ranking.rank_providers(candidates)


@hookimpl
def aftersales_refund_policy(tenant: TenantContext, refund: RefundFacts) -> RefundDecision | None:
    return refunds.refund_decision(tenant.settings_as(AutoServiceSettings), refund)


@hookimpl
def aftersales_request_kinds(tenant: TenantContext) -> RequestKinds:
    return kinds.request_kinds(tenant.settings_as(AutoServiceSettings))


@hookimpl
def aftersales_dispatch_terms(tenant: TenantContext) -> DispatchTerms:
    """Yizhongyi fixes the next day's plan the afternoon before, at the tenant's cut-off hour; Carmax does not."""
    settings = tenant.settings_as(AutoServiceSettings)
    return DispatchTerms(plan_cutoff_hour=settings.next_day_plan_cutoff_hour if settings.fixes_next_day_plan else None)
