"""Carmax's provider ranking (seed 002): a car that cannot wait goes to a provider near it that is free soon.

A car owner needs the car back, and often cannot drive it far: nearness and the next free slot weigh more than
in the core's ranking (which weighs the rating most), the rating still counts through the core's Bayesian
average (one 5.0 review does not beat 200 reviews of 4.8), and price least. Nearness halves at 5 km (the
core's at 10 km); a slot a day later than the page's earliest scores half. The first ranking of every
candidate knows no slots (each scores 0 there); the page's second ranking orders by them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from aftersales.contract import ProviderCandidate, RankedProvider, messages
from aftersales.contract.defaults import bayesian_average, distance_reason, rating_reason

RATING, NEARNESS, SOONNESS, PRICE = 0.35, 0.30, 0.20, 0.15
HALF_SCORE_KM = 5.0
HALF_SCORE_WAIT = timedelta(hours=24)

_ = messages("aftersales_auto_service")


def rank_providers(candidates: Sequence[ProviderCandidate]) -> list[RankedProvider]:
    """Every candidate scored, best first (ties by provider id, so the order never depends on the input's)."""
    if not candidates:
        return []
    cheapest = min(c.price.amount_minor for c in candidates)
    slots = [c.next_free_slot for c in candidates if c.next_free_slot is not None]
    earliest = min(slots) if slots else None
    ranked = []
    for c in candidates:
        rating = bayesian_average(c.rating_average, c.rating_count)
        nearness = 1 / (1 + c.distance_km / HALF_SCORE_KM)
        cheapness = max(cheapest, 1) / max(c.price.amount_minor, 1)
        soonness = 0.0
        reasons = [distance_reason(c.distance_km), rating_reason(c, rating)]
        if c.next_free_slot is not None and earliest is not None:
            soonness = 1 / (1 + (c.next_free_slot - earliest) / HALF_SCORE_WAIT)
            reasons.append(_("free soonest") if c.next_free_slot == earliest else _wait(c.next_free_slot - earliest))
        score = RATING * rating / 5 + NEARNESS * nearness + SOONNESS * soonness + PRICE * cheapness
        ranked.append(RankedProvider(c.provider_id, round(score, 6), tuple(reasons)))
    return sorted(ranked, key=lambda r: (-r.score, str(r.provider_id)))


def _wait(wait: timedelta) -> str:
    hours = wait / timedelta(hours=1)
    if hours >= 1:
        return _("free {hours} h after the soonest", hours=round(hours))
    return _("free {minutes} min after the soonest", minutes=round(wait / timedelta(minutes=1)))
