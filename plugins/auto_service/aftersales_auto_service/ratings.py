"""Carmax's mutual ratings (seed 002): "customer and provider rate each other, and each is responsible for
rating truthfully".

Truthful ratings come from real jobs done through the app, so two things hold a rating for a reviewer instead of
counting it:

- **a job never paid through the app** (either direction): the platform cannot vouch that the job happened as
  booked, and "work arranged outside the app is not the platform's responsibility";
- **a burst from one customer account**: more than :data:`CUSTOMER_BURST_PER_DAY` ratings in 24 hours. A car
  owner has a job or two a day; a run of ratings is what fake bookings made to push a provider up look like. A
  provider rating its customers is not held for volume: each of its ratings is of a job it completed and was
  paid for, and a workshop completes many jobs a day.

And one weight: a rater's repeated ratings of the same provider (or customer) count for less, the n-th with
weight 1/n, so one regular customer's many visits (or a friend's) weigh as a few voices, not as many customers.
"""

from __future__ import annotations

from aftersales.contract import RatingDecision, RatingFacts, messages

CUSTOMER_BURST_PER_DAY = 3
"""The fourth rating from one customer within 24 hours is held for review."""

_ = messages("aftersales_auto_service")


def rating_policy(rating: RatingFacts) -> RatingDecision | None:
    """Hold unpaid jobs and customer bursts, weigh repeats down; None for an uncompleted job (the core refuses it)."""
    if not rating.job_completed:
        return None
    reasons: list[str] = []
    flagged = False
    if not rating.job_paid:
        flagged = True
        reasons.append(_("the job was never paid through the app: held for review"))
    if rating.direction == "customer_rates_provider" and rating.ratings_by_rater_last_24h >= CUSTOMER_BURST_PER_DAY:
        flagged = True
        reasons.append(_("more than {limit} ratings from this customer in 24 hours: held for review",
                         limit=CUSTOMER_BURST_PER_DAY))
    nth = rating.earlier_ratings_of_same_party + 1
    weight = 1 / nth
    if nth > 1:
        reasons.append(_("rating number {nth} of this provider by the same rater: weight 1/{nth}", nth=nth)
                       if rating.direction == "customer_rates_provider" else
                       _("rating number {nth} of this customer by the same rater: weight 1/{nth}", nth=nth))
    return RatingDecision(accepted=True, weight=weight, flagged=flagged, reasons=tuple(reasons))
