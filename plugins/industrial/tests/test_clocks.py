"""Golden Laser's clocks (seed 004) as its manifest onboards it on the industrial vertical, called through the
tenant's real hook chain (the plugin and the core defaults): on site in 24 h within 300 km of the nearest service
point and 72 h beyond, overseas reply in 10 h and repair in 72 h, and none of the electronics vertical's clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from haversine import Direction, inverse_haversine

from aftersales.contract import GeoPoint, Message, RequestFacts, SlaTarget
from aftersales.settings import REPO_ROOT

OPENED = datetime(2026, 11, 20, 13, 0, tzinfo=UTC)
TBILISI = GeoPoint(41.7151, 44.8271)


def point_at(km: float, origin: GeoPoint = TBILISI, direction: Direction = Direction.NORTH) -> GeoPoint:
    latitude, longitude = inverse_haversine((origin.latitude, origin.longitude), km, direction)
    return GeoPoint(latitude, longitude)


@pytest.fixture(scope="module")
def clocks(manifest_context, plugin_hooks):
    """The clocks Golden Laser sets on a request of ``kind``, by name."""
    golden = manifest_context(REPO_ROOT / "tenants" / "golden-laser.toml")
    hooks = plugin_hooks(golden)

    def targets(kind: str, **facts: object) -> dict[str, SlaTarget]:
        request = RequestFacts(kind=kind, channel="phone", opened_at=OPENED, **facts)
        return {t.name: t for t in hooks.aftersales_sla_targets(tenant=golden, request=request)}

    return targets


def at(km: str) -> dict[str, object]:
    """The facts of a customer ``km`` from the nearest service point, as the core gives them
    (``site_distance_km`` is the core's, to 0.1 km: ``tests/service/clocks`` checks how it is measured)."""
    return {"customer_location": point_at(float(km)), "service_points": (TBILISI,), "site_distance_km": Decimal(km)}


@pytest.mark.parametrize(("km", "hours"), [("299.0", 24), ("299.9", 24), ("300.0", 24), ("300.1", 72),
                                           ("301.0", 72)])
def test_aftersales_sla_targets_on_site_in_24_h_within_300_km_and_72_h_beyond(clocks, km, hours) -> None:
    found = clocks("repair", **at(km))
    assert list(found) == ["onsite"]
    onsite = found["onsite"]
    assert (onsite.duration, onsite.clock) == (timedelta(hours=hours), "calendar")
    assert onsite.met_on == ("on_site", "ended") and onsite.on_breach == "notify"


def test_exactly_300_km_is_within_300_km_and_the_reason_says_so(clocks) -> None:
    onsite = clocks("maintenance", **at("300.0"))["onsite"]
    assert onsite.reason == ("an engineer on site within 24 h: the customer is 300.0 km from the nearest service "
                             "point (within 300 km)")
    assert isinstance(onsite.reason, Message) and onsite.reason.domain == "aftersales_industrial"
    assert onsite.reason.params["radius"] == 300 and str(onsite.reason.params["km"]) == "300.0"


def test_unknown_location_or_no_service_point_gets_72_h_with_the_reason(clocks) -> None:
    unknown = clocks("repair", service_points=(TBILISI,))["onsite"]
    assert unknown.duration == timedelta(hours=72)
    assert unknown.reason == "an engineer on site within 72 h: the customer's location is not known"
    nowhere = clocks("repair", customer_location=point_at(5))["onsite"]
    assert nowhere.reason == "an engineer on site within 72 h: the company has no service point on record"


def test_overseas_customer_gets_a_reply_in_10_h_and_the_repair_in_72_h_and_no_onsite_clock(clocks) -> None:
    yerevan = GeoPoint(40.1792, 44.4991)  # ~170 km from Tbilisi, but abroad
    found = clocks("repair", customer_country="AM", customer_location=yerevan, service_points=(TBILISI,))
    assert list(found) == ["reply", "repair"]
    reply, repair = found["reply"], found["repair"]
    assert (reply.duration, reply.clock, reply.met_on) == (timedelta(hours=10), "calendar", ("contacted", "ended"))
    assert (repair.duration, repair.clock, repair.met_on) == (timedelta(hours=72), "calendar", ("ready", "ended"))
    assert reply.reason == "an overseas customer (AM) gets a reply within 10 h"
    assert repair.reason == "an overseas customer (AM) gets the repair within 72 h"


def test_overseas_inquiry_gets_only_the_reply(clocks) -> None:
    assert list(clocks("inquiry", customer_country="tr")) == ["reply"]


def test_the_tenants_own_country_in_any_case_is_domestic(clocks) -> None:
    assert list(clocks("repair", customer_country="ge", **at("10.0"))) == ["onsite"]


def test_no_electronics_clocks_on_a_laser_machine(clocks) -> None:
    """Issue 17: on electronics, Golden Laser's repairs got Mehr's 7- and 30-business-day clocks."""
    for kind in ("repair", "maintenance", "installation", "inquiry", "exchange", "complaint"):
        found = clocks(kind, **at("10.0"))
        assert not {"result", "replacement"} & set(found), kind
        assert all(t.clock != "business_days" or t.name == "first_response" for t in found.values()), kind


def test_kinds_without_a_seed_promise_get_the_core_default(clocks) -> None:
    assert list(clocks("installation", **at("10.0"))) == \
        ["first_response"]
    complaint = clocks("complaint")
    assert list(complaint) == ["complaint_response"]
    assert complaint["complaint_response"].duration == timedelta(hours=48)
