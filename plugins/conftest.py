"""Fixtures of the built-in plugins' tests: the seed companies' contexts as their manifests onboard them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aftersales.contract import TenantContext
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import manifest_context
from aftersales.plugins import PluginRegistry, build_plugin_registry
from aftersales.settings import REPO_ROOT


@pytest.fixture(scope="module")
def registry() -> PluginRegistry:
    return build_plugin_registry()


@pytest.fixture(scope="module")
def manifest_tenant(registry: PluginRegistry) -> Callable[[str], TenantContext]:
    """The context hooks receive for the tenant of ``tenants/<slug>.toml``, its manifest validated as at onboarding."""
    return lambda slug: manifest_context(registry, read_manifest_file(REPO_ROOT / "tenants" / f"{slug}.toml"))
