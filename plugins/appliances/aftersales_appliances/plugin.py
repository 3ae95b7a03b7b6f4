"""The appliances vertical's hooks (entry point ``appliances`` in the ``aftersales.verticals`` group).

Pure functions of their arguments, like every hook: the tenant's rules arrive as ``tenant.settings``.
"""

from __future__ import annotations

from aftersales.hookspecs import hookimpl
from aftersales.serial_formats import check_pattern
from aftersales.values import ProductInfo, SerialCheck, TenantContext, VerticalInfo
from aftersales_appliances import __version__
from aftersales_appliances.serials import pattern_for_model
from aftersales_appliances.settings import AppliancesSettings

NAME = "appliances"



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
    return check_pattern(serial, pattern, scheme, whose="this model's")
