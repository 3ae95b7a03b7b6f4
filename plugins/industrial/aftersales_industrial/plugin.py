"""The industrial vertical's hooks (entry point ``industrial`` in the ``aftersales.verticals`` group).

Pure functions of their arguments, like every hook: the tenant's rules arrive as ``tenant.settings``. Hooks
not implemented here are the core defaults': seed 004 states no rule for claims (the core decides a claim on a
component by the coverage items of :mod:`.warranty`), resolution options, cards, ratings, ranking or refunds.
"""

from __future__ import annotations

from collections.abc import Sequence

from aftersales.contract import (
    FollowUpAnswer,
    FollowUpPlan,
    FollowUpRouting,
    JobFacts,
    OfferingSpec,
    ProductInfo,
    Quote,
    RequestFacts,
    SaleInfo,
    SerialCheck,
    ServiceEvent,
    SlaTarget,
    TenantContext,
    VerticalInfo,
    WarrantyTerms,
    check_pattern,
    hookimpl,
    messages,
)
from aftersales_industrial import __version__, catalogue, followups, routing, sla, warranty
from aftersales_industrial.settings import IndustrialSettings

NAME = "industrial"

_ = messages("aftersales_industrial")


@hookimpl
def aftersales_vertical_info() -> VerticalInfo:
    return VerticalInfo(
        name=NAME,
        title=_("Industrial machines"),
        version=__version__,
        description=_(
            "Machines installed and serviced on site: on-site times by distance to a service point, overseas "
            "reply and repair times, installation training signed off by the customer, follow-up calls, "
            "maintenance reviews and free software upgrades."
        ),
        settings_schema=IndustrialSettings,
        kind="vertical",
    )


@hookimpl
def aftersales_validate_serial(tenant: TenantContext, serial: str, product: ProductInfo | None) -> SerialCheck | None:
    pattern = tenant.settings_as(IndustrialSettings).serial_pattern
    return None if pattern is None else check_pattern(serial, pattern)


@hookimpl
def aftersales_validate_serials(
    tenant: TenantContext, serials: Sequence[str], products: Sequence[ProductInfo | None]
) -> list[SerialCheck] | None:
    pattern = tenant.settings_as(IndustrialSettings).serial_pattern
    return None if pattern is None else [check_pattern(serial, pattern) for serial in serials]


@hookimpl
def aftersales_warranty_terms(tenant: TenantContext, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms:
    return warranty.warranty_terms(tenant.settings_as(IndustrialSettings), product, sale)


@hookimpl
def aftersales_sla_targets(tenant: TenantContext, request: RequestFacts) -> list[SlaTarget] | None:
    return sla.sla_targets(tenant.settings_as(IndustrialSettings), tenant.country, request)


@hookimpl
def aftersales_followups(tenant: TenantContext, event: ServiceEvent) -> list[FollowUpPlan]:
    return followups.followups(tenant.settings_as(IndustrialSettings), event)


@hookimpl
def aftersales_followup_answered(tenant: TenantContext, answer: FollowUpAnswer) -> FollowUpRouting | None:
    return routing.next_step(answer)


@hookimpl
def aftersales_service_catalogue(tenant: TenantContext) -> list[OfferingSpec]:
    return catalogue.service_catalogue()


@hookimpl
def aftersales_quote(tenant: TenantContext, job: JobFacts) -> Quote | None:
    return catalogue.quote(tenant, job)
