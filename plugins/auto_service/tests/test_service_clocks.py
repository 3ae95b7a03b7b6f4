"""The clocks of auto-service requests, as Yizhongyi (seed 003) and Carmax (seed 002) onboard them.

Each test calls ``aftersales_sla_targets`` through the tenant's real hook chain (the plugin and the core
default), with the tenant built from its manifest in ``tenants/``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from aftersales_auto_service.settings import AutoServiceSettings
from pydantic import ValidationError

from aftersales.contract import ProductInfo, SlaTarget
from aftersales.contract.testing.factories import make_product, make_request_facts

KINDS = ("repair", "installation", "maintenance", "return", "exchange", "complaint", "inquiry")


def equipment(weight_kg: float | None = 40, volume_m3: float | None = 0.5) -> ProductInfo:
    return make_product(sku="EQ-1", name="Garage equipment", weight_kg=weight_kg, volume_m3=volume_m3)


@pytest.fixture(scope="module")
def clocks(plugin_hooks, seed_tenant):
    """The clocks the tenant ``slug`` sets on a request, by name."""
    def targets(slug: str, kind: str, product: ProductInfo | None = None) -> dict[str, SlaTarget]:
        tenant = seed_tenant(slug)
        found = plugin_hooks(tenant).aftersales_sla_targets(tenant=tenant,
                                                            request=make_request_facts(kind=kind, product=product))
        return {target.name: target for target in found}

    return targets


# -- first contact ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_aftersales_sla_targets_first_contact_within_4_business_hours_at_risk_after_2(clocks, kind: str) -> None:
    contact = clocks("yizhongyi", kind)["first_contact"]
    assert (contact.duration, contact.clock) == (timedelta(hours=4), "business_hours")
    assert contact.at_risk_fraction == 0.5
    assert contact.met_on == ("contacted", "ended") and contact.starts_on == "opened"
    assert contact.reason == "the service centre contacts the customer within 2-4 business hours"


@pytest.mark.parametrize("kind", ["return", "exchange", "complaint", "inquiry"])
def test_requests_that_send_nobody_on_site_run_the_contact_clock_only(clocks, kind: str) -> None:
    assert list(clocks("yizhongyi", kind, equipment())) == ["first_contact"]


# -- on site: 24 h, large items 48 h at most -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["repair", "maintenance", "installation"])
def test_staff_on_site_the_next_business_day(clocks, kind: str) -> None:
    onsite = clocks("yizhongyi", kind, equipment())["onsite"]
    assert (onsite.duration, onsite.clock) == (timedelta(hours=24), "business_days")
    assert onsite.met_on == ("on_site", "ended") and onsite.at_risk_fraction == 0.8
    assert onsite.reason == "staff on site within 24 h of the report"


def test_exactly_100_kg_is_not_large_and_gets_24_h(clocks) -> None:
    assert clocks("yizhongyi", "repair", equipment(weight_kg=100))["onsite"].duration == timedelta(hours=24)


def test_100_1_kg_is_large_and_gets_48_h_at_most_at_risk_after_24(clocks) -> None:
    onsite = clocks("yizhongyi", "repair", equipment(weight_kg=100.1))["onsite"]
    assert (onsite.duration, onsite.clock, onsite.at_risk_fraction) == (timedelta(hours=48), "business_days", 0.5)
    assert onsite.reason == "a large item (over 1 m³ or 100 kg): staff on site within 24 h, 48 h at most"


def test_exactly_1_m3_is_not_large_and_1_01_m3_is(clocks) -> None:
    assert clocks("yizhongyi", "repair", equipment(volume_m3=1.0))["onsite"].duration == timedelta(hours=24)
    assert clocks("yizhongyi", "repair", equipment(volume_m3=1.01))["onsite"].duration == timedelta(hours=48)


def test_unknown_product_or_size_is_not_large(clocks) -> None:
    assert clocks("yizhongyi", "repair")["onsite"].duration == timedelta(hours=24)
    unknown_size = equipment(weight_kg=None, volume_m3=None)
    assert clocks("yizhongyi", "repair", unknown_size)["onsite"].duration == timedelta(hours=24)


# -- repair and parts --------------------------------------------------------------------------------------


def test_repair_is_done_within_24_h_of_starting_it_and_stands_still_while_waiting_for_parts(clocks) -> None:
    repair = clocks("yizhongyi", "repair", equipment())["in_house_repair"]
    assert (repair.duration, repair.clock) == (timedelta(hours=24), "business_days")
    assert (repair.starts_on, repair.met_on) == ("in_repair", ("ready", "ended"))
    assert repair.pauses_on == ("waiting_for_customer", "waiting_for_parts")


def test_waiting_for_parts_over_5_days_raises_the_priority(clocks) -> None:
    parts = clocks("yizhongyi", "maintenance", equipment())["parts_wait"]
    assert (parts.duration, parts.clock, parts.on_breach) == (timedelta(days=5), "business_days", "raise_priority")
    assert (parts.starts_on, parts.met_on) == ("waiting_for_parts", ("left:waiting_for_parts",))


def test_a_repair_runs_contact_onsite_repair_and_parts_clocks(clocks) -> None:
    assert list(clocks("yizhongyi", "repair", equipment())) == [
        "first_contact", "onsite", "in_house_repair", "parts_wait"]


def test_an_installation_runs_no_repair_clocks(clocks) -> None:
    assert list(clocks("yizhongyi", "installation", equipment())) == ["first_contact", "onsite"]


# -- Carmax (seed 002): no numbers of its own -----------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_carmax_runs_yizhongyis_clocks_for_a_unit_of_ordinary_size(clocks, kind: str) -> None:
    """Its manifest keeps the vertical's clocks (seed 003's numbers); only their words and the large-item rule
    differ (test_own_service_words.py)."""
    car = equipment(weight_kg=None, volume_m3=None)
    carmax, yizhongyi = clocks("carmax", kind, car), clocks("yizhongyi", kind, car)
    assert {name: (t.duration, t.clock, t.met_on) for name, t in carmax.items()} == {
        name: (t.duration, t.clock, t.met_on) for name, t in yizhongyi.items()}


# -- settings ---------------------------------------------------------------------------------------------


def test_day_scale_hours_must_be_whole_days() -> None:
    with pytest.raises(ValidationError) as caught:
        AutoServiceSettings(onsite_hours=36, onsite_hours_large_item_max=60, inhouse_repair_hours=12)
    failed = {error["loc"][0] for error in caught.value.errors()}
    assert failed == {"onsite_hours", "onsite_hours_large_item_max", "inhouse_repair_hours"}
    assert "whole days" in caught.value.errors()[0]["msg"]
