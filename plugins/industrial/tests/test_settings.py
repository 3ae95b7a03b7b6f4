"""The industrial settings: every number of seed 004 as a default, the open warranty terms as stated assumptions,
and every broken rule reported on its own field."""

from __future__ import annotations

import pytest
from aftersales_industrial.settings import IndustrialSettings
from pydantic import ValidationError


def test_defaults_are_seed_004s_numbers() -> None:
    s = IndustrialSettings()
    assert (s.onsite_radius_km, s.onsite_hours_within_radius, s.onsite_hours_beyond_radius) == (300, 24, 72)
    assert (s.overseas_reply_hours, s.overseas_repair_hours) == (10, 72)
    assert (s.followup_after_installation_days, s.followup_after_installation_months) == ((3,), (3,))
    assert s.followup_after_repair_days == (3,) and s.software_upgrades_free is True


def test_open_warranty_terms_are_settings_with_assumed_defaults() -> None:
    s = IndustrialSettings()
    assert (s.machine_warranty_months, s.laser_source_warranty_months, s.parts_support_years) == (12, 24, 8)
    assert s.consumables_covered is False
    for name in ("machine_warranty_months", "laser_source_warranty_months", "parts_support_years",
                 "consumables_covered", "maintenance_review_months", "return_visit_percent"):
        assert "Assumption" in IndustrialSettings.model_fields[name].description, name


def test_bad_settings_report_every_field() -> None:
    with pytest.raises(ValidationError) as caught:
        IndustrialSettings.model_validate({
            "onsite_hours_within_radius": 48, "onsite_hours_beyond_radius": 24, "overseas_reply_hours": 80,
            "serial_pattern": "GL[", "return_visit_percent": 101, "followup_after_repair_days": [0],
            "fax_number": "+995",
        })
    fields = {".".join(str(p) for p in e["loc"]) for e in caught.value.errors()}
    assert fields == {"onsite_hours_beyond_radius", "overseas_repair_hours", "serial_pattern",
                      "return_visit_percent", "followup_after_repair_days.0", "fax_number"}


def test_the_beyond_radius_time_may_equal_the_within_radius_time() -> None:
    assert IndustrialSettings(onsite_hours_within_radius=48, onsite_hours_beyond_radius=48).onsite_hours_beyond_radius \
        == 48
