"""Mehr's used parts (seed 000): a part taken from a scrapped unit is covered for the tenant's days from fitting
(90 by default, the seed gives no number), or not at all at 0 — and the reason says which."""

from __future__ import annotations

import pytest
from aftersales_electronics import plugin

from aftersales.contract import PartFacts

SCREEN = PartFacts(code="LCD-A52", name="Screen", wear_part=False)


@pytest.fixture(scope="module")
def terms(tenant_context):
    return lambda **settings: plugin.aftersales_used_part_terms(tenant=tenant_context("electronics", settings),
                                                                part=SCREEN)


def test_aftersales_used_part_terms_covers_a_used_part_90_days_by_default(terms):
    given = terms()
    assert given.warranty_days == 90 and "90 days" in str(given.reasons[0])


def test_a_tenant_setting_0_gives_no_warranty_on_used_parts_and_says_so(terms):
    given = terms(used_part_warranty_days=0)
    assert given.warranty_days == 0 and "no warranty" in str(given.reasons[0])
