"""Entekhab's ratings (seed 001 says nothing about them): the core's rating policy applies unchanged."""

from __future__ import annotations

from aftersales.contract import RatingFacts


def test_aftersales_rating_policy_entekhab_gets_the_core_default(registry, manifest_tenant) -> None:
    hooks = registry.hooks_for(["appliances"])
    entekhab = manifest_tenant("entekhab")

    def decide(**facts):
        base = RatingFacts(stars=3, direction="customer_rates_provider", job_completed=True, job_paid=False)
        return hooks.aftersales_rating_policy(tenant=entekhab, rating=RatingFacts(**{**base.__dict__, **facts}))

    assert decide().accepted and not decide().flagged and decide().weight == 1.0  # unpaid: counted all the same
    assert not decide(ratings_by_rater_last_24h=4).flagged
    assert decide(ratings_by_rater_last_24h=5).flagged
    assert not decide(job_completed=False).accepted
