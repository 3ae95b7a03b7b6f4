"""Provinces as ISO 3166-2 subdivision codes (``IR-23`` for Tehran), checked against ``pycountry``'s copy of the
standard rather than a pattern: a code of the right shape that names no subdivision is refused too."""

from __future__ import annotations

import pycountry

from aftersales.errors import FieldError

MAX_CODE = 6
"""The longest ISO 3166-2 code: two letters, a hyphen, up to three characters."""


def province_errors(code: str, field: str, country: str | None = None) -> list[FieldError]:
    """Why ``code`` is not a province code (of ``country``, when given); empty when it is one."""
    if len(code) > MAX_CODE or pycountry.subdivisions.get(code=code) is None:
        return [FieldError(field, "must be an ISO 3166-2 subdivision code, e.g. IR-23",
                           code="province.unknown", params={"given": code[:20]})]
    if country is not None and not code.startswith(f"{country.upper()}-"):
        return [FieldError(field, f"must be a subdivision of {country.upper()}, e.g. {country.upper()}-…",
                           code="province.other_country", params={"country": country.upper()})]
    return []
