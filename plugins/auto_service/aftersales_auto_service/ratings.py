"""Carmax's mutual ratings (seed 002): "customer and provider rate each other, and each is responsible for
rating truthfully".

Truthful ratings come from real jobs done through the app, so two things hold a rating for a reviewer instead of
counting it:

- **a job never paid through the app** (either direction): the platform cannot vouch that the job happened as
  booked, and "work arranged outside the app is not the platform's responsibility";
- **a burst from one customer account**: more than ``customer_ratings_per_day`` ratings in 24 hours, for a tenant
  that sets one (Carmax: 3; 0, the default, is no limit). A car owner has a job or two a day; a run of ratings is
  what fake bookings made to push a provider up look like. A provider rating its customers is not held for
  volume: each of its ratings is of a job it completed and was paid for, and a workshop completes many jobs a day.

Each is said in the tenant's words: a marketplace (``sells_units = false``, Carmax) says "paid through the app";
a seller (Yizhongyi) takes payment itself, so it says no payment was recorded.

And one weight: a rater's repeated ratings of the same provider (or customer) count for less, the n-th with
weight 1/n, so one regular customer's many visits (or a friend's) weigh as a few voices, not as many customers.
"""

from __future__ import annotations

from aftersales.contract import RatingDecision, RatingFacts, messages
from aftersales_auto_service.settings import AutoServiceSettings

_ = messages("aftersales_auto_service")


def rating_policy(settings: AutoServiceSettings, rating: RatingFacts) -> RatingDecision | None:
    """Hold unpaid jobs and customer bursts, weigh repeats down; None for an uncompleted job (the core refuses it)."""
    if not rating.job_completed:
        return None
    reasons: list[str] = []
    flagged = False
    if not rating.job_paid:
        flagged = True
        reasons.append(_("no payment for the job was recorded: held for review") if settings.sells_units else
                       _("the job was never paid through the app: held for review"))
    limit = settings.customer_ratings_per_day
    if limit and rating.direction == "customer_rates_provider" and rating.ratings_by_rater_last_24h >= limit:
        flagged = True
        reasons.append(_("more than {limit} ratings from this customer in 24 hours: held for review", limit=limit))
    nth = rating.earlier_ratings_of_same_party + 1
    weight = 1 / nth
    if nth > 1:
        reasons.append(_("rating number {nth} of this provider by the same rater: weight 1/{nth}", nth=nth)
                       if rating.direction == "customer_rates_provider" else
                       _("rating number {nth} of this customer by the same rater: weight 1/{nth}", nth=nth))
    return RatingDecision(accepted=True, weight=weight, flagged=flagged, reasons=tuple(reasons))
