"""The clocks of electronics requests, as Mehr (seed 000) and Golden Laser (seed 004) onboard them.

Each test calls ``aftersales_sla_targets`` through the tenant's real hook chain (the plugin and the core
default: the kit's ``plugin_hooks``), with the tenant built from its manifest in ``tenants/``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from haversine import Direction, inverse_haversine

from aftersales.contract import GeoPoint, SlaTarget
from aftersales.contract.testing.factories import make_request_facts

TBILISI = GeoPoint(41.7151, 44.8271)
BATUMI = GeoPoint(41.6168, 41.6367)


def point_at(km: float, origin: GeoPoint = TBILISI, direction: Direction = Direction.EAST) -> GeoPoint:
    latitude, longitude = inverse_haversine((origin.latitude, origin.longitude), km, direction)
    return GeoPoint(latitude, longitude)


@pytest.fixture(scope="module")
def clocks(plugin_hooks, seed_tenant):
    """The clocks the tenant ``slug`` sets on a request, by name."""
    def targets(slug: str, kind: str, **facts: object) -> dict[str, SlaTarget]:
        tenant = seed_tenant(slug)
        found = plugin_hooks(tenant).aftersales_sla_targets(tenant=tenant, request=make_request_facts(kind=kind, **facts))
        return {target.name: target for target in found}

    return targets


# -- Mehr (seed 000) --------------------------------------------------------------------------------------


def test_aftersales_sla_targets_mehr_repair_promises_a_result_in_7_business_days(clocks) -> None:
    result = clocks("mehr", "repair")["result"]
    assert (result.duration, result.clock) == (timedelta(days=7), "business_days")
    assert result.met_on == ("ready", "ended") and result.on_breach == "notify"
    assert result.reason == "the intake receipt promises a result within 7 business days"


def test_mehr_offers_a_replacement_after_30_business_days(clocks) -> None:
    replacement = clocks("mehr", "repair")["replacement"]
    assert (replacement.duration, replacement.clock) == (timedelta(days=30), "business_days")
    assert replacement.on_breach == "offer_replacement" and replacement.met_on == ("ready", "ended")


def test_mehr_exchange_runs_the_same_result_and_replacement_clocks_as_a_repair(clocks) -> None:
    assert clocks("mehr", "exchange") == clocks("mehr", "repair")
    assert list(clocks("mehr", "exchange")) == ["result", "replacement"]


def test_mehr_complaint_is_answered_within_48_business_hours_and_has_no_repair_clock(clocks) -> None:
    found = clocks("mehr", "complaint", complaint_subject="staff_behaviour")
    assert list(found) == ["complaint_response"]
    response = found["complaint_response"]
    assert (response.duration, response.clock) == (timedelta(hours=48), "business_hours")
    assert response.met_on == ("answered",) and response.on_breach == "notify"


def test_mehr_repair_has_no_complaint_clock(clocks) -> None:
    assert "complaint_response" not in clocks("mehr", "repair")


@pytest.mark.parametrize("kind", ["inquiry", "installation", "maintenance", "return"])
def test_kinds_without_a_seed_rule_get_the_core_first_response(clocks, kind: str) -> None:
    assert list(clocks("mehr", kind)) == ["first_response"]


def test_mehr_has_no_distance_clock_even_with_a_location(clocks) -> None:
    found = clocks("mehr", "repair", customer_location=point_at(500), service_points=(TBILISI,))
    assert "onsite" not in found


# -- Golden Laser (seed 004): on site by distance to the nearest service point ---------------------------


def test_golden_laser_on_site_within_24_h_at_299_9_km(clocks) -> None:
    onsite = clocks("golden-laser", "repair", customer_location=point_at(299.9), service_points=(TBILISI,))["onsite"]
    assert (onsite.duration, onsite.clock) == (timedelta(hours=24), "calendar")
    assert onsite.met_on == ("on_site", "ended")
    assert "299.9 km from the nearest service point (within 300 km)" in onsite.reason


def test_golden_laser_on_site_within_72_h_at_300_1_km(clocks) -> None:
    onsite = clocks("golden-laser", "repair", customer_location=point_at(300.1), service_points=(TBILISI,))["onsite"]
    assert (onsite.duration, onsite.clock) == (timedelta(hours=72), "calendar")
    assert "300.1 km from the nearest service point (beyond 300 km)" in onsite.reason


def test_golden_laser_measures_from_the_nearest_service_point(clocks) -> None:
    customer = point_at(299.9, direction=Direction.SOUTH)  # far from Batumi, just inside 300 km of Tbilisi
    onsite = clocks("golden-laser", "repair", customer_location=customer, service_points=(BATUMI, TBILISI))["onsite"]
    assert onsite.duration == timedelta(hours=24)
    far = clocks("golden-laser", "repair", customer_location=point_at(300.1, origin=BATUMI, direction=Direction.WEST),
                 service_points=(BATUMI, TBILISI))["onsite"]
    assert far.duration == timedelta(hours=72)


def test_golden_laser_unknown_location_gets_the_slower_clock_with_the_reason(clocks) -> None:
    onsite = clocks("golden-laser", "repair", service_points=(TBILISI,))["onsite"]
    assert onsite.duration == timedelta(hours=72)
    assert onsite.reason == "an engineer on site within 72 h: the customer's location is not known"
    no_points = clocks("golden-laser", "maintenance", customer_location=point_at(10))["onsite"]
    assert no_points.duration == timedelta(hours=72) and "no service point on record" in no_points.reason


def test_golden_laser_domestic_repair_keeps_the_verticals_result_and_replacement_clocks(clocks) -> None:
    found = clocks("golden-laser", "repair", customer_location=point_at(10), service_points=(TBILISI,),
                   customer_country="GE")
    assert list(found) == ["onsite", "result", "replacement"]


def test_golden_laser_installation_is_scheduled_not_clocked_and_gets_the_core_first_response(clocks) -> None:
    found = clocks("golden-laser", "installation", customer_location=point_at(10), service_points=(TBILISI,))
    assert list(found) == ["first_response"]


# -- Golden Laser: overseas customers -------------------------------------------------------------------


def test_overseas_customer_gets_a_reply_in_10_h_and_the_repair_in_72_h_instead_of_the_onsite_clock(clocks) -> None:
    yerevan = point_at(170, direction=Direction.SOUTH)  # close, but abroad: distance does not decide
    found = clocks("golden-laser", "repair", customer_country="AM", customer_location=yerevan,
                   service_points=(TBILISI,))
    assert list(found) == ["reply", "repair", "result", "replacement"]
    reply, repair = found["reply"], found["repair"]
    assert (reply.duration, reply.clock, reply.met_on) == (timedelta(hours=10), "calendar", ("contacted", "ended"))
    assert (repair.duration, repair.clock, repair.met_on) == (timedelta(hours=72), "calendar", ("ready", "ended"))
    assert reply.reason == "an overseas customer (AM) gets a reply within 10 h"


def test_overseas_inquiry_gets_the_reply_clock_only(clocks) -> None:
    assert list(clocks("golden-laser", "inquiry", customer_country="TR")) == ["reply"]


def test_customer_of_the_tenants_own_country_is_domestic_whatever_the_case(clocks) -> None:
    found = clocks("golden-laser", "repair", customer_country="ge", customer_location=point_at(299.9),
                   service_points=(TBILISI,))
    assert "reply" not in found and found["onsite"].duration == timedelta(hours=24)


def test_golden_laser_complaint_is_answered_in_the_verticals_48_business_hours(clocks) -> None:
    found = clocks("golden-laser", "complaint")
    assert list(found) == ["complaint_response"]
    assert found["complaint_response"].duration == timedelta(hours=48)
