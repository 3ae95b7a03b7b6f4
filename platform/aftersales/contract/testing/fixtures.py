"""The pytest fixtures of the plugin test kit, loaded in every pytest run where the core is installed
(entry point ``pytest11``: ``aftersales``). Each is session-scoped and imports what it needs on first use, so
a test suite that uses none of them pays only for importing the contract.

* ``aftersales_registry``: the plugin registry exactly as the server builds it (``build_plugin_registry()``:
  installed plugins through their entry points, validated). Override it in a ``conftest.py`` (session scope)
  to test a plugin that is not installed: ``build_plugin_registry(load_entry_points=False,
  extra_plugins=[("boats", plugin)])``.
* ``manifest_context(path)``: the ``TenantContext`` of a tenant manifest, validated as at onboarding.
* ``tenant_context(vertical, settings=None, **fields)``: a ``TenantContext`` on ``vertical`` with its settings
  validated by the plugin's schema and defaults for the rest.
* ``plugin_hooks(context)``: the hook callers the server uses for that tenant (its plugins, core defaults).
* ``conformance(plugin, max_examples=100, tenant=None)``: the conformance report of an installed plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import pluggy

    from aftersales.contract.testing.conformance import ConformanceReport
    from aftersales.contract.values import TenantContext
    from aftersales.plugins import PluginRegistry


@pytest.fixture(scope="session")
def aftersales_registry() -> PluginRegistry:
    """The plugin registry exactly as the server builds it: every installed plugin, validated."""
    from aftersales.plugins import build_plugin_registry

    return build_plugin_registry()


@pytest.fixture(scope="session")
def manifest_context(aftersales_registry: PluginRegistry) -> Callable[[str | PathLike[str]], TenantContext]:
    """``manifest_context(path)``: the context hooks receive for the tenant of the manifest TOML at ``path``,
    validated as onboarding validates it (an invalid manifest raises ``InvalidInput`` listing every field)."""
    from aftersales.contract.testing import contexts

    read: dict[Path, TenantContext] = {}

    def context(path: str | PathLike[str]) -> TenantContext:
        key = Path(path).resolve()
        if key not in read:
            read[key] = contexts.manifest_context(aftersales_registry, key)
        return read[key]

    return context


@pytest.fixture(scope="session")
def tenant_context(aftersales_registry: PluginRegistry) -> Callable[..., TenantContext]:
    """``tenant_context(vertical, settings=None, **fields)``: a tenant on ``vertical`` with ``settings`` validated
    by the plugin's schema; other ``TenantContext`` fields default to a company in Iran (IRR, Asia/Tehran)."""
    from aftersales.contract.testing import contexts

    def context(vertical: str, settings: dict[str, Any] | None = None, **fields: Any) -> TenantContext:
        return contexts.tenant_context(aftersales_registry, vertical, settings, **fields)

    return context


@pytest.fixture(scope="session")
def plugin_hooks(aftersales_registry: PluginRegistry) -> Callable[[TenantContext], pluggy.HookRelay]:
    """``plugin_hooks(context)``: the hook callers of that tenant's plugin set, core defaults included, as the
    server dispatches them (``plugin_hooks(tenant).aftersales_quote(tenant=tenant, job=job)``)."""
    from aftersales.contract.testing import contexts

    return lambda context: contexts.plugin_hooks(aftersales_registry, context)


@pytest.fixture(scope="session")
def conformance(aftersales_registry: PluginRegistry) -> Callable[..., ConformanceReport]:
    """``conformance(plugin, max_examples=100, tenant=None)``: call every hook ``plugin`` implements with
    generated facts and return the report (``report.assert_ok()`` fails the test with every failed hook)."""
    from aftersales.contract.testing.conformance import check_plugin

    def check(plugin: str, max_examples: int = 100, tenant: TenantContext | None = None) -> ConformanceReport:
        return check_plugin(aftersales_registry, plugin, max_examples=max_examples, tenant=tenant)

    return check
