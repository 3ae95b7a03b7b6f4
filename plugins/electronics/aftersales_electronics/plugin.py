"""The electronics vertical's hooks (entry point ``electronics`` in the ``aftersales.verticals`` group).

Pure functions of their arguments, like every hook: the tenant's rules arrive as ``tenant.settings``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aftersales.contract import (
    CardEvidence,
    CardVerdict,
    ClaimAssessment,
    ClaimFacts,
    FollowUpAnswer,
    FollowUpPlan,
    FollowUpRouting,
    IntakeChecklist,
    OfferingSpec,
    PartFacts,
    ProductInfo,
    RefundDecision,
    RefundFacts,
    RequestFacts,
    ResolutionContext,
    ResolutionOption,
    SaleInfo,
    SerialCheck,
    ServiceEvent,
    SlaTarget,
    TenantContext,
    UsedPartTerms,
    VerticalInfo,
    WarrantyTerms,
    check_pattern,
    hookimpl,
)
from aftersales_electronics import __version__, catalogue, followups, intake, refunds, sla, used_parts, warranty
from aftersales_electronics.serials import check_imei, check_imeis
from aftersales_electronics.settings import ElectronicsSettings

NAME = "electronics"


@hookimpl
def aftersales_vertical_info() -> VerticalInfo:
    return VerticalInfo(
        name=NAME,
        title="Electronics",
        version=__version__,
        description=(
            "Phones and devices sold with a registered warranty: IMEI or patterned serials, repair results "
            "within business days, replacement after a long repair, and optional on-site SLAs by distance."
        ),
        settings_schema=ElectronicsSettings,
        kind="vertical",
    )


@hookimpl
def aftersales_validate_serial(
    tenant: TenantContext, serial: str, product: ProductInfo | None
) -> SerialCheck:
    settings = tenant.settings_as(ElectronicsSettings)
    if settings.serial_scheme == "imei":
        return check_imei(serial)
    assert settings.serial_pattern is not None  # the settings schema requires it for the pattern scheme
    return check_pattern(serial, settings.serial_pattern)


@hookimpl
def aftersales_validate_serials(
    tenant: TenantContext, serials: Sequence[str], products: Sequence[ProductInfo | None]
) -> list[SerialCheck]:
    settings = tenant.settings_as(ElectronicsSettings)
    if settings.serial_scheme == "imei":
        return check_imeis(serials)
    pattern = settings.serial_pattern
    assert pattern is not None
    return [check_pattern(serial, pattern) for serial in serials]


@hookimpl
def aftersales_warranty_terms(tenant: TenantContext, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms:
    return warranty.warranty_terms(tenant.settings_as(ElectronicsSettings), product, sale)


@hookimpl
def aftersales_assess_claim(
    tenant: TenantContext, claim: ClaimFacts, terms: WarrantyTerms, today: date
) -> ClaimAssessment | None:
    return warranty.assess_claim(tenant.settings_as(ElectronicsSettings), claim, terms)


@hookimpl
def aftersales_judge_card(tenant: TenantContext, card: CardEvidence) -> CardVerdict | None:
    return warranty.judge_card(tenant.settings_as(ElectronicsSettings), card)


@hookimpl
def aftersales_resolution_options(tenant: TenantContext, context: ResolutionContext) -> list[ResolutionOption]:
    return warranty.resolution_options(tenant.settings_as(ElectronicsSettings), context)


@hookimpl
def aftersales_sla_targets(tenant: TenantContext, request: RequestFacts) -> list[SlaTarget] | None:
    return sla.sla_targets(tenant.settings_as(ElectronicsSettings), tenant.country, request)


@hookimpl
def aftersales_followups(tenant: TenantContext, event: ServiceEvent) -> list[FollowUpPlan]:
    return followups.followups(tenant.settings_as(ElectronicsSettings), event)


@hookimpl
def aftersales_followup_answered(tenant: TenantContext, answer: FollowUpAnswer) -> FollowUpRouting | None:
    return followups.route_answer(tenant.settings_as(ElectronicsSettings), answer)


@hookimpl
def aftersales_service_catalogue(tenant: TenantContext) -> list[OfferingSpec]:
    return catalogue.service_catalogue()


@hookimpl
def aftersales_intake_checklist(tenant: TenantContext, product: ProductInfo | None) -> IntakeChecklist:
    return intake.intake_checklist(tenant.settings_as(ElectronicsSettings))


@hookimpl
def aftersales_refund_policy(tenant: TenantContext, refund: RefundFacts) -> RefundDecision | None:
    return refunds.refund_decision(refund)


@hookimpl
def aftersales_used_part_terms(tenant: TenantContext, part: PartFacts) -> UsedPartTerms:
    return used_parts.used_part_terms(tenant.settings_as(ElectronicsSettings), part)
