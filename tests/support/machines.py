"""A third-party vertical whose warranty starts when the customer signs off the installation training (else at
installation, else at the sale), itemised per component as an industrial-machines vertical's is: machine 12
months, laser source 24, parts 8 years, consumables not covered. Tests add it with
``build_plugin_registry(extra_plugins=[("machines", MachinesVertical())])``."""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta

from aftersales.contract import (
    CoverageItem,
    Message,
    PluginSettings,
    ProductInfo,
    SaleInfo,
    TenantContext,
    VerticalInfo,
    WarrantyTerms,
    hookimpl,
)
from support.warranty import add_unit

CUTTER, OTHER_CUTTER = "GL-F3015-001", "GL-F3015-002"
CONSUMABLES_REASON = "nozzles, lenses and ceramic rings wear out: not covered"


class MachineSettings(PluginSettings):
    pass


class MachinesVertical:
    """Warranty from the training sign-off (else the installation, else the sale), itemised per component."""

    @hookimpl
    def aftersales_vertical_info(self) -> VerticalInfo:
        return VerticalInfo(name="machines", title="Machines", version="1.0", description="laser cutters",
                            settings_schema=MachineSettings)

    @hookimpl
    def aftersales_warranty_terms(self, tenant: TenantContext, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms:
        start = sale.training_signed_off_on or sale.installed_on or sale.sold_on
        return WarrantyTerms(
            warranty_start=start, warranty_end=start + relativedelta(months=12),
            parts_support_end=start + relativedelta(years=8),
            coverage=(CoverageItem("machine", start + relativedelta(months=12)),
                      CoverageItem("laser_source", start + relativedelta(months=24)),
                      CoverageItem("parts", start + relativedelta(years=8)),
                      CoverageItem("consumables", None, covered=False, reason=Message(CONSUMABLES_REASON))),
            reasons=(Message("warranty from {start}", start=start),),
        )


async def machines_tenant(runtime: Any, make_tenant: Any, slug: str = "cutters") -> Any:
    """A tenant of the machines vertical with two cutters on its register."""
    tenant = await make_tenant(slug, vertical="machines")
    await add_unit(runtime, tenant, CUTTER, sku="F3015")
    await add_unit(runtime, tenant, OTHER_CUTTER, sku="F3015")
    return tenant
