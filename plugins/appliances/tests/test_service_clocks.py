"""Entekhab's clocks (seed 001): the seed promises no service times, so the appliances vertical sets none and
its requests run the core's first-response clock, its complaints the core's 48-business-hour response clock.
Called through the tenant's real hook chain."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aftersales.contract.testing.factories import make_product, make_request_facts

FRIDGE = make_product(sku="RF-700", name="Refrigerator", volume_m3=0.7, weight_kg=110)


@pytest.fixture(scope="module")
def clocks(plugin_hooks, seed_tenant):
    """The clocks Entekhab sets on a request with these facts."""
    entekhab = seed_tenant("entekhab")
    return lambda **facts: plugin_hooks(entekhab).aftersales_sla_targets(tenant=entekhab,
                                                                         request=make_request_facts(**facts))


@pytest.mark.parametrize("kind", ["repair", "installation", "maintenance", "inquiry"])
def test_aftersales_sla_targets_entekhab_gets_the_core_first_response(clocks, kind: str) -> None:
    found = clocks(kind=kind, product=FRIDGE)
    assert [(t.name, t.duration, t.clock) for t in found] == [("first_response", timedelta(days=2), "business_days")]


def test_aftersales_sla_targets_entekhab_answers_complaints_in_the_core_48_business_hours(clocks) -> None:
    found = clocks(kind="complaint", complaint_subject="store_violation")
    assert [(t.name, t.duration, t.clock, t.met_on) for t in found] == [
        ("complaint_response", timedelta(hours=48), "business_hours", ("answered",))]
