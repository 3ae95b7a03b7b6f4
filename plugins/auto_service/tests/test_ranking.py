"""Carmax's provider ranking (seed 002): nearness and the next free slot weigh more than in the core's ranking;
called through Carmax's real hook chain."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from aftersales.contract import Money, ProviderCandidate
from aftersales.contract.defaults import aftersales_rank_providers as core_ranking
from aftersales.contract.testing.factories import make_provider_candidate

MONDAY_9 = datetime(2026, 5, 4, 5, 30, tzinfo=UTC)
PRICE = Money(1_500_000, "IRR")


@pytest.fixture(scope="module")
def carmax(seed_tenant):
    return seed_tenant("carmax")


@pytest.fixture(scope="module")
def rank(plugin_hooks, carmax):
    """Carmax's ranking of ``candidates``, as provider ids best first."""
    hooks = plugin_hooks(carmax)

    def ranked(*candidates: ProviderCandidate) -> list[uuid.UUID]:
        return [r.provider_id for r in hooks.aftersales_rank_providers(tenant=carmax, offering="oil_change",
                                                                       candidates=list(candidates))]

    return ranked


def candidate(rating: float, count: int, km: float = 2.0, slot: datetime | None = None) -> ProviderCandidate:
    return make_provider_candidate(rating_average=rating, rating_count=count, price=PRICE, distance_km=km,
                                   next_free_slot=slot)


def test_aftersales_rank_providers_carmax_one_review_of_five_does_not_beat_two_hundred_of_four_point_eight(rank):
    one, many = candidate(5.0, 1), candidate(4.8, 200)
    assert rank(one, many) == [many.provider_id, one.provider_id]


def test_aftersales_rank_providers_carmax_sends_the_car_next_door_where_the_core_would_send_it_farther(
        rank, carmax):
    next_door, five_km = candidate(4.0, 200, km=0.5), candidate(4.9, 200, km=5.0)
    assert rank(next_door, five_km) == [next_door.provider_id, five_km.provider_id]
    core = core_ranking(tenant=carmax, offering="oil_change", candidates=[next_door, five_km])
    assert [r.provider_id for r in core] == [five_km.provider_id, next_door.provider_id]


def test_aftersales_rank_providers_carmax_puts_the_provider_free_sooner_first(rank):
    today, in_two_days = candidate(4.6, 80, slot=MONDAY_9), candidate(4.6, 80, slot=MONDAY_9 + timedelta(days=2))
    nothing_free = candidate(4.6, 80, slot=None)
    assert rank(nothing_free, in_two_days, today) == [today.provider_id, in_two_days.provider_id,
                                                      nothing_free.provider_id]


def test_aftersales_rank_providers_carmax_gives_its_reasons(plugin_hooks, carmax):
    soon, later = candidate(4.6, 80, slot=MONDAY_9), candidate(4.6, 80, slot=MONDAY_9 + timedelta(hours=3))
    ranked = plugin_hooks(carmax).aftersales_rank_providers(tenant=carmax, offering="oil_change",
                                                            candidates=[soon, later])
    assert ranked[0].reasons == ("2.0 km away", "rated 4.6 by 80 customers (weighed 4.48)", "free soonest")
    assert ranked[1].reasons[-1] == "free 3 h after the soonest"
