"""Entekhab's ratings (seed 001 says nothing about them): the core's rating policy applies unchanged."""

from __future__ import annotations

from aftersales.contract.testing.factories import make_rating_facts


def test_aftersales_rating_policy_entekhab_gets_the_core_default(plugin_hooks, seed_tenant) -> None:
    entekhab = seed_tenant("entekhab")

    def decide(**facts):
        rating = make_rating_facts(stars=3, job_paid=False, **facts)
        return plugin_hooks(entekhab).aftersales_rating_policy(tenant=entekhab, rating=rating)

    assert decide().accepted and not decide().flagged and decide().weight == 1.0  # unpaid: counted all the same
    assert not decide(ratings_by_rater_last_24h=4).flagged
    assert decide(ratings_by_rater_last_24h=5).flagged
    assert not decide(job_completed=False).accepted
