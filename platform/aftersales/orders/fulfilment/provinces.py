"""Provinces as ISO 3166-2 subdivision codes (``IR-23`` for Tehran), checked as the order desk checks an order's
(:func:`aftersales.orders.services.province_problem`, over ``pycountry``'s copy of the standard), with a code
and params for a page that words the refusal itself."""

from __future__ import annotations

from aftersales.errors import FieldError
from aftersales.orders.services import province_problem

MAX_CODE = 6
"""The longest ISO 3166-2 code: two letters, a hyphen, up to three characters."""


def province_errors(code: str, field: str, country: str) -> list[FieldError]:
    """Why ``code`` is not a province of ``country``; empty when it is one."""
    too_long = len(code) > MAX_CODE
    problem = "is not an ISO 3166-2 subdivision code (e.g. IR-10)" if too_long else province_problem(code, country)
    if problem is None:
        return []
    known = not too_long and problem.startswith("is not a subdivision of")
    return [FieldError(field, problem, code="province.other_country" if known else "province.unknown",
                       params={"country": country.upper()} if known else {"given": code[:20]})]
