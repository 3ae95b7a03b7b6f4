"""Carmax's rating policy (seed 002: customer and provider rate each other, truthfully), called through the
tenant's real hook chain, so what the core refuses is refused here too."""

from __future__ import annotations

import pytest

from aftersales.contract.testing.factories import make_rating_facts


@pytest.fixture(scope="module")
def decide(plugin_hooks, seed_tenant):
    """Carmax's decision on a customer's five stars for a completed, paid job, with other ``facts``."""
    carmax = seed_tenant("carmax")
    return lambda **facts: plugin_hooks(carmax).aftersales_rating_policy(tenant=carmax,
                                                                         rating=make_rating_facts(**facts))


def test_aftersales_rating_policy_carmax_counts_a_paid_job_at_full_weight(decide) -> None:
    decision = decide()
    assert (decision.accepted, decision.flagged, decision.weight, decision.reasons) == (True, False, 1.0, ())


@pytest.mark.parametrize("direction", ["customer_rates_provider", "provider_rates_customer"])
def test_a_job_never_paid_through_the_app_is_held_either_way(decide, direction) -> None:
    decision = decide(job_paid=False, direction=direction)
    assert decision.accepted and decision.flagged
    assert decision.reasons == ("the job was never paid through the app: held for review",)


def test_an_uncompleted_job_is_refused_by_the_core(decide) -> None:
    assert not decide(job_completed=False).accepted


def test_a_customers_third_rating_in_a_day_counts_and_the_fourth_is_held(decide) -> None:
    assert not decide(ratings_by_rater_last_24h=2).flagged
    fourth = decide(ratings_by_rater_last_24h=3)
    assert fourth.flagged and "more than 3 ratings from this customer in 24 hours" in fourth.reasons[0]


def test_a_provider_rating_its_twentieth_customer_of_the_day_is_not_held(decide) -> None:
    assert not decide(direction="provider_rates_customer", ratings_by_rater_last_24h=19).flagged


def test_repeat_ratings_of_the_same_party_weigh_one_over_n(decide) -> None:
    second = decide(earlier_ratings_of_same_party=1)
    assert second.weight == 0.5 and not second.flagged
    assert second.reasons == ("rating number 2 of this provider by the same rater: weight 1/2",)
    assert decide(direction="provider_rates_customer", earlier_ratings_of_same_party=3).weight == 0.25


def test_unpaid_burst_and_repeat_reasons_add_up(decide) -> None:
    decision = decide(job_paid=False, ratings_by_rater_last_24h=5, earlier_ratings_of_same_party=1)
    assert decision.flagged and decision.weight == 0.5 and len(decision.reasons) == 3
