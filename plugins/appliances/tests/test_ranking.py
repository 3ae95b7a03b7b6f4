"""Entekhab's provider ranking (seed 001): its authorised technicians first among comparable ones; called
through Entekhab's real hook chain."""

from __future__ import annotations

import pytest

from aftersales.contract import Money, ProviderCandidate
from aftersales.contract.testing.factories import make_provider_candidate

PRICE = Money(8_000_000, "IRR")


@pytest.fixture(scope="module")
def ranking(plugin_hooks, seed_tenant):
    entekhab = seed_tenant("entekhab")
    hooks = plugin_hooks(entekhab)
    return lambda *candidates: hooks.aftersales_rank_providers(tenant=entekhab, offering="installation",
                                                               candidates=list(candidates))


def candidate(rating: float, count: int, *, authorised: bool = False, km: float = 4.0) -> ProviderCandidate:
    return make_provider_candidate(rating_average=rating, rating_count=count, price=PRICE, distance_km=km,
                                   authorised=authorised)


def test_aftersales_rank_providers_entekhab_one_review_of_five_does_not_beat_two_hundred_of_four_point_eight(ranking):
    one, many = candidate(5.0, 1), candidate(4.8, 200)
    assert [r.provider_id for r in ranking(one, many)] == [many.provider_id, one.provider_id]


def test_aftersales_rank_providers_entekhab_puts_its_authorised_technician_first(ranking):
    independent, authorised = candidate(4.7, 150), candidate(4.7, 150, authorised=True)
    ranked = ranking(independent, authorised)
    assert [r.provider_id for r in ranked] == [authorised.provider_id, independent.provider_id]
    assert ranked[0].reasons[0] == "authorised by Entekhab"
    assert "authorised by Entekhab" not in ranked[1].reasons


def test_aftersales_rank_providers_entekhab_prefers_authorised_at_20_km_to_independent_next_door_but_not_at_60(
        ranking):
    next_door = candidate(4.7, 150, km=1)
    at_20, at_60 = candidate(4.7, 150, authorised=True, km=20), candidate(4.7, 150, authorised=True, km=60)
    assert ranking(next_door, at_20)[0].provider_id == at_20.provider_id
    assert ranking(next_door, at_60)[0].provider_id == next_door.provider_id
