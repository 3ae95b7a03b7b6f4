"""Entekhab's clocks (seed 001): the seed promises no service times, so the appliances vertical sets none and
its requests run the core's first-response clock, its complaints the core's 48-business-hour response clock.
Called through the tenant's real hook chain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from aftersales.contract import ProductInfo, RequestFacts

FRIDGE = ProductInfo(sku="RF-700", name="Refrigerator", volume_m3=0.7, weight_kg=110)


@pytest.mark.parametrize("kind", ["repair", "installation", "maintenance", "inquiry"])
def test_aftersales_sla_targets_entekhab_gets_the_core_first_response(registry, manifest_tenant, kind: str) -> None:
    request = RequestFacts(kind=kind, channel="phone", opened_at=datetime(2026, 3, 16, 6, 0, tzinfo=UTC),
                           product=FRIDGE)
    found = registry.hooks_for(["appliances"]).aftersales_sla_targets(tenant=manifest_tenant("entekhab"),
                                                                      request=request)
    assert [(t.name, t.duration, t.clock) for t in found] == [("first_response", timedelta(days=2), "business_days")]


def test_aftersales_sla_targets_entekhab_answers_complaints_in_the_core_48_business_hours(registry,
                                                                                         manifest_tenant) -> None:
    request = RequestFacts(kind="complaint", channel="phone", opened_at=datetime(2026, 3, 16, 6, 0, tzinfo=UTC),
                           complaint_subject="store_violation")
    found = registry.hooks_for(["appliances"]).aftersales_sla_targets(tenant=manifest_tenant("entekhab"),
                                                                      request=request)
    assert [(t.name, t.duration, t.clock, t.met_on) for t in found] == [
        ("complaint_response", timedelta(hours=48), "business_hours", ("answered",))]
