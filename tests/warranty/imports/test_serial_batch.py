"""The batch serial check an import makes (``aftersales_validate_serials``) answers exactly as the per-serial hook."""

from __future__ import annotations

import uuid

import pytest
from aftersales_appliances.settings import AppliancesSettings
from aftersales_auto_service.settings import AutoServiceSettings
from aftersales_electronics.settings import ElectronicsSettings

from aftersales.contract.hookspecs import hookimpl
from aftersales.contract.values import (
    BusinessCalendarInfo,
    PluginSettings,
    ProductInfo,
    SerialCheck,
    TenantContext,
    VerticalInfo,
)
from aftersales.plugins import build_plugin_registry, validate_serials
from support.warranty import imei

PHONE = ProductInfo(sku="PH-100", name="Phone 100")
FRIDGE = ProductInfo(sku="RF-2", name="Fridge")
SERIALS = [
    imei(1), imei(2)[:-1] + str((int(imei(2)[-1]) + 1) % 10), f" {imei(3)} ", "۳۵۲۰۹۹۰۰۰۰۰۰۰۴" + imei(4)[-1],
    imei(5)[:-1], imei(6) + "0", "35-209900-000007-" + imei(7)[-1], "", "  ", "1M8GDM9A1KP042788", "1M8GDM9A2KP042788",
    "WVWZZZ1JZXW000001", "1M8GDM9AIKP042788", "ab12cd34ef", "RF-ab1234", "x" * 70, "A\u00a0B", "T01-00000042",
]


def tenant_on(vertical: str, settings: PluginSettings) -> TenantContext:
    return TenantContext(id=uuid.UUID(int=1), slug="acme", vertical=vertical, country="DE", currency="EUR",
                         time_zone="Europe/Berlin", locales=("en",),
                         calendar=BusinessCalendarInfo(country="DE", weekend_days=(6, 7), business_hours=("09:00", "17:00")),
                         settings=settings)


def one_by_one(hooks, tenant: TenantContext, products: list[ProductInfo | None]) -> list[SerialCheck]:
    return [hooks.aftersales_validate_serial(tenant=tenant, serial=s, product=p) for s, p in zip(SERIALS, products, strict=True)]


VERTICALS = {
    "electronics, IMEI": ("electronics", ElectronicsSettings()),
    "electronics, pattern": ("electronics", ElectronicsSettings(serial_scheme="pattern", serial_pattern=r"T[0-9]{2}-[0-9]{8}")),
    "appliances": ("appliances", AppliancesSettings(serial_patterns={"RF": r"RF-[A-Z]{2}[0-9]{4}", "PH": r"[0-9]{15}"})),
    "auto_service, VIN": ("auto_service", AutoServiceSettings()),
    "auto_service, pattern": ("auto_service", AutoServiceSettings(serial_scheme="pattern", serial_pattern=r"[A-Z]{2}[0-9]+")),
}


@pytest.mark.parametrize("case", VERTICALS)
def test_aftersales_validate_serials_answers_as_the_per_serial_hook(case):
    vertical, settings = VERTICALS[case]
    hooks = build_plugin_registry().hooks_for([vertical])
    tenant = tenant_on(vertical, settings)
    products = [(PHONE, FRIDGE, None)[i % 3] for i in range(len(SERIALS))]
    batch = hooks.aftersales_validate_serials(tenant=tenant, serials=SERIALS, products=products)
    assert batch == one_by_one(hooks, tenant, products)
    assert validate_serials(hooks, tenant, SERIALS, products) == batch


class PerSerialOnly:
    """A third-party vertical written before the batch hook: it implements the per-serial hook only."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.calls = 0

    @hookimpl
    def aftersales_vertical_info(self) -> VerticalInfo:
        return VerticalInfo(name=self.name, title="Boats", version="1.0", description="hull numbers",
                            settings_schema=PluginSettings, kind="addon" if self.name == "yachts" else "vertical")

    @hookimpl
    def aftersales_validate_serial(self, tenant, serial, product):
        self.calls += 1
        return SerialCheck.accept(f"HIN-{serial}", "hin") if serial.startswith("1") else None


def test_a_vertical_with_only_the_per_serial_hook_is_called_for_each_serial():
    boats = PerSerialOnly("boats")
    hooks = build_plugin_registry(load_entry_points=False, extra_plugins=[("boats", boats)]).hooks_for(["boats"])
    tenant = tenant_on("boats", PluginSettings())
    products = [None] * len(SERIALS)
    checks = validate_serials(hooks, tenant, SERIALS, products)
    assert boats.calls == len(SERIALS)
    assert checks == one_by_one(hooks, tenant, products)
    assert {c.scheme for c in checks} == {"hin", "any"}  # its None leaves the rest to the core default


def test_a_per_serial_add_on_keeps_its_say_over_a_batch_vertical():
    addon = PerSerialOnly("yachts")  # registered after electronics, so asked first
    registry = build_plugin_registry(extra_plugins=[("yachts", addon)])
    assert not registry.failures
    hooks = registry.hooks_for(["electronics", "yachts"])
    tenant = tenant_on("electronics", ElectronicsSettings())
    products = [None] * len(SERIALS)
    assert validate_serials(hooks, tenant, SERIALS, products) == one_by_one(hooks, tenant, products)
    assert addon.calls == 2 * len(SERIALS)
    assert any(c.scheme == "hin" for c in one_by_one(hooks, tenant, products))


def test_the_core_default_alone_answers_serial_by_serial():
    hooks = build_plugin_registry(load_entry_points=False).core_only
    tenant = tenant_on("none", PluginSettings())
    products = [None] * len(SERIALS)
    assert validate_serials(hooks, tenant, SERIALS, products) == one_by_one(hooks, tenant, products)
