"""Entekhab's provider ranking (seed 001): its own network of authorised technicians first.

Entekhab serves through 2,500 authorised technicians, and in-warranty installation and repair must be done by
one (search already lists only them for such a job). Out of warranty anyone may take the job, but an
authorised technician keeps the customer inside the company's service: authorisation is worth 0.15 of the
score, which puts an authorised technician 20 km away before an independent one next door, but not one 60 km
away. The rating (the core's Bayesian average, so one 5.0 review does not beat 200 of 4.8) weighs most; a
technician comes to the home, so distance counts less than for a workshop (half score at 15 km), price least.
"""

from __future__ import annotations

from collections.abc import Sequence

from aftersales.contract import ProviderCandidate, RankedProvider, messages
from aftersales.contract.defaults import bayesian_average, distance_reason, rating_reason

RATING, AUTHORISED, NEARNESS, PRICE = 0.5, 0.15, 0.25, 0.1
HALF_SCORE_KM = 15.0

_ = messages("aftersales_appliances")


def rank_providers(candidates: Sequence[ProviderCandidate]) -> list[RankedProvider]:
    """Every candidate scored, best first (ties by provider id, so the order never depends on the input's)."""
    if not candidates:
        return []
    cheapest = min(c.price.amount_minor for c in candidates)
    ranked = []
    for c in candidates:
        rating = bayesian_average(c.rating_average, c.rating_count)
        nearness = 1 / (1 + c.distance_km / HALF_SCORE_KM)
        cheapness = max(cheapest, 1) / max(c.price.amount_minor, 1)
        score = RATING * rating / 5 + AUTHORISED * c.authorised + NEARNESS * nearness + PRICE * cheapness
        reasons = ((_("authorised by Entekhab"),) if c.authorised else ()) + (
            distance_reason(c.distance_km), rating_reason(c, rating))
        ranked.append(RankedProvider(c.provider_id, round(score, 6), reasons))
    return sorted(ranked, key=lambda r: (-r.score, str(r.provider_id)))
