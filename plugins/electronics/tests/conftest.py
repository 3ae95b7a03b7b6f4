"""The seed companies on electronics: Mehr as ``tenants/mehr.toml`` onboards it, and Golden Laser with the
electronics settings its manifest gives (seed 004), written here so that the vertical's distance clocks and
installation follow-ups keep their tests whichever vertical the company itself runs on."""

from __future__ import annotations

from pathlib import Path

import pytest

from aftersales.contract import BusinessCalendarInfo

TENANTS = Path(__file__).resolve().parents[3] / "tenants"

GOLDEN_LASER = {
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
"""Golden Laser's ``[settings.electronics]`` (seed 004: 24 h on site within 300 km, 72 h beyond, overseas
reply 10 h and repair 72 h, calls 3 days and 3 months after the training sign-off and 3 days after a repair)."""


@pytest.fixture(scope="session")
def seed_tenant(manifest_context, tenant_context):
    """``seed_tenant("mehr")``: the context hooks receive for ``tenants/mehr.toml``; ``"golden-laser"``: Golden
    Laser in Georgia on electronics with :data:`GOLDEN_LASER`."""
    golden_laser = tenant_context(
        "electronics", GOLDEN_LASER, slug="golden-laser", country="GE", currency="GEL", time_zone="Asia/Tbilisi",
        locales=("ka", "en"),
        calendar=BusinessCalendarInfo(country="GE", weekend_days=(6, 7), business_hours=("09:00", "18:00")))
    return lambda slug: golden_laser if slug == "golden-laser" else manifest_context(TENANTS / f"{slug}.toml")
