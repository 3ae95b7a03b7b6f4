"""Per-tenant dispatch: a hook called for a tenant reaches the core defaults and that tenant's plugins only."""

from __future__ import annotations

import importlib.metadata
import random

import pytest

from aftersales.contract.hookspecs import ENTRY_POINT_GROUP, hookimpl
from aftersales.contract.values import PluginSettings, SerialCheck, VerticalInfo
from aftersales.plugins import build_plugin_registry


class SpySettings(PluginSettings):
    prefix: str = "SPY"


class SpyVertical:
    """A vertical that records every call it receives."""

    def __init__(self, name: str = "spy") -> None:
        self.name = name
        self.calls: list[str] = []

    @hookimpl
    def aftersales_vertical_info(self) -> VerticalInfo:
        return VerticalInfo(name=self.name, title="Spy", version="1.0", description="records calls",
                            settings_schema=SpySettings)

    @hookimpl
    def aftersales_validate_serial(self, tenant, serial, product):
        self.calls.append(tenant.slug)
        return SerialCheck.accept(f"{tenant.settings.prefix}-{serial}", "spy")


SPY = SpyVertical()


@pytest.fixture
def plugins():
    """Installed plugins plus the spy, as a deployment with a third-party vertical would have."""
    SPY.calls.clear()
    return build_plugin_registry(extra_plugins=[("spy", SPY)])


async def test_a_spy_enabled_for_tenant_a_is_never_called_for_tenant_b(client, make_tenant, staff_token):
    a = await make_tenant("alpha", vertical="spy")
    b = await make_tenant("bravo", vertical="electronics")
    for tenant in (b, b, a, b):
        headers = await staff_token(tenant, "agent")
        response = await client.post("/api/v1/serials/validate", json={"serial": "ab12"}, headers=headers)
        assert response.status_code == 200
        assert (response.json()["scheme"] == "spy") == (tenant is a)
    assert SPY.calls == ["alpha"]


def test_hook_callers_are_cached_per_plugin_set_not_per_tenant(plugins):
    assert plugins.hooks_for(["spy"]) is plugins.hooks_for(("spy",))
    assert plugins.hooks_for(["spy"]) is not plugins.hooks_for(["electronics"])


def _fake_entry_point(name: str, value: str) -> importlib.metadata.EntryPoint:
    return importlib.metadata.EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


class UnknownHook:
    @hookimpl
    def aftersales_vertical_info(self):
        return VerticalInfo(name="typo", title="Typo", version="1", description="", settings_schema=PluginSettings)

    @hookimpl
    def aftersales_validate_seriall(self, tenant, serial, product):  # misspelt: must not be silently ignored
        return None


class BadSignature:
    @hookimpl
    def aftersales_vertical_info(self):
        return VerticalInfo(name="badsig", title="B", version="1", description="", settings_schema=PluginSettings)

    @hookimpl
    def aftersales_validate_serial(self, tenant, serial, product, colour):
        return None


class WrongName:
    @hookimpl
    def aftersales_vertical_info(self):
        return VerticalInfo(name="something-else", title="W", version="1", description="",
                            settings_schema=PluginSettings)


class TooNew:
    @hookimpl
    def aftersales_vertical_info(self):
        return VerticalInfo(name="toonew", title="T", version="1", description="", settings_schema=PluginSettings,
                            requires_core=">=99")


class NoInfo:
    @hookimpl
    def aftersales_validate_serial(self, tenant, serial, product):
        return None


def test_broken_plugins_are_reported_by_name_and_the_rest_still_load(monkeypatch):
    real = __import__("aftersales.plugins", fromlist=["discover_entry_points"]).discover_entry_points()
    fakes = [("ghost", _fake_entry_point("ghost", "no_such_module_anywhere:plugin"))]
    monkeypatch.setattr("aftersales.plugins.discover_entry_points", lambda: sorted(real + fakes))
    registry = build_plugin_registry(extra_plugins=[
        ("typo", UnknownHook()), ("badsig", BadSignature()), ("wrongname", WrongName()), ("toonew", TooNew()),
        ("noinfo", NoInfo()),
    ])
    reasons = {name: failure.reason for name, failure in registry.failures.items()}
    assert set(reasons) == {"ghost", "typo", "badsig", "wrongname", "toonew", "noinfo"}
    assert "failed to import" in reasons["ghost"]
    assert "aftersales_validate_seriall" in reasons["typo"]
    assert "colour" in reasons["badsig"]
    assert "registered as 'wrongname'" in reasons["wrongname"]
    assert "requires aftersales >=99" in reasons["toonew"]
    assert "aftersales_vertical_info" in reasons["noinfo"]
    assert {"electronics", "appliances", "auto_service"} <= set(registry.names)
    registry.pm.check_pending()  # nothing unknown stayed registered


def test_results_do_not_depend_on_entry_point_order(monkeypatch):
    from aftersales.plugins import discover_entry_points

    eps = discover_entry_points()
    seen = set()
    for seed in range(5):
        shuffled = eps[:]
        random.Random(seed).shuffle(shuffled)
        monkeypatch.setattr("aftersales.plugins.discover_entry_points", lambda s=shuffled: s)
        registry = build_plugin_registry(extra_plugins=[("spy", SpyVertical())])
        seen.add(tuple(impl.plugin_name for impl in registry.pm.hook.aftersales_validate_serial.get_hookimpls()))
    assert len(seen) == 1, f"hook call order changed with discovery order: {seen}"
