"""``RequestFacts.site_distance_km``, the distance a vertical's on-site promise reads (seed 004: within 300 km of a
service point): great-circle kilometres to the *nearest* service point, to 0.1 km, rounded half up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from haversine import Direction, inverse_haversine

from aftersales.contract import GeoPoint
from aftersales.service.clocks.services import nearest_km

TBILISI = GeoPoint(41.7151, 44.8271)
BATUMI = GeoPoint(41.6168, 41.6367)


def point_at(km: float, origin: GeoPoint = TBILISI, direction: Direction = Direction.NORTH) -> GeoPoint:
    latitude, longitude = inverse_haversine((origin.latitude, origin.longitude), km, direction)
    return GeoPoint(latitude, longitude)


@pytest.mark.parametrize(("km", "said"), [(299.96, "300.0"), (300.0, "300.0"), (300.04, "300.0"),
                                          (300.06, "300.1"), (301.0, "301.0")])
def test_the_distance_is_to_a_tenth_of_a_km_at_the_300_km_edge(km, said) -> None:
    assert nearest_km(point_at(km), (TBILISI,)) == Decimal(said)


def test_the_nearest_service_point_decides() -> None:
    near_batumi = point_at(250, origin=BATUMI, direction=Direction.WEST)
    assert nearest_km(near_batumi, (TBILISI, BATUMI)) == Decimal("250.0")
    assert nearest_km(near_batumi, (TBILISI,)) > Decimal(300)


def test_no_distance_without_a_location_or_a_service_point() -> None:
    assert nearest_km(None, (TBILISI,)) is None
    assert nearest_km(point_at(5), ()) is None
