"""The electronics tests' tenants: the seed manifests, and Golden Laser as it was configured on this vertical
before it moved to the industrial one (issue 17), so the vertical's distance SLA and follow-up settings, which
any electronics tenant may still use, keep their tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aftersales.contract import TenantContext
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import manifest_context
from aftersales.plugins import PluginRegistry
from aftersales.settings import REPO_ROOT

GOLDEN_LASER_ON_ELECTRONICS = {
    "serial_scheme": "pattern",
    "serial_pattern": "^GL[A-Z0-9]{8,12}$",
    "hologram_required": False,
    "software_upgrades_free": True,
    "followup_after_installation_days": [3],
    "followup_after_installation_months": [3],
    "followup_after_repair_days": [3],
    "distance_sla": {"onsite_radius_km": 300, "onsite_hours_within_radius": 24, "onsite_hours_beyond_radius": 72,
                     "overseas_reply_hours": 10, "overseas_repair_hours": 72},
}
"""``[settings.electronics]`` of ``tenants/golden-laser.toml`` until Golden Laser moved to ``industrial``."""


@pytest.fixture(scope="module")
def manifest_tenant(registry: PluginRegistry) -> Callable[[str], TenantContext]:
    """The tenant of ``tenants/<slug>.toml``; ``golden-laser`` on electronics with its former settings."""

    def context(slug: str) -> TenantContext:
        raw = read_manifest_file(REPO_ROOT / "tenants" / f"{slug}.toml")
        if slug == "golden-laser":
            raw = {**raw, "vertical": "electronics", "settings": {"electronics": GOLDEN_LASER_ON_ELECTRONICS}}
        return manifest_context(registry, raw)

    return context
