"""Follow-up calls, maintenance-record reviews and sample return visits (seed 004, Golden Laser).

* Calls ``followup_after_installation_days`` (3) and ``followup_after_installation_months`` (3, calendar months)
  after installation, with the seed's four questions; and ``followup_after_repair_days`` (3) after each repair,
  the first question asked of the repair.
* A review of the customer's maintenance records every ``maintenance_review_months``, with the recommendations
  it makes, for as long as parts are supplied (``parts_support_years``).
* A return visit ``return_visit_after_months`` after installation to a reproducible sample of
  ``return_visit_percent`` of the installations of each machine type, to learn what to improve in it.

Installation plans count from the customer's sign-off of the training (``training_signed_off``), not from
``installed``: seed 004 runs installation, operation and training as one on-site visit that is complete when the
customer signs the training off, and "can you operate it independently?" has no answer before the training.
Every plan is a ``call``: the contract has no visit channel, so the return visit is arranged by a call whose
questionnaire the visiting engineer fills in. The core routes a problem reported on any of them to the engineer
of the request followed up.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from aftersales.contract import FollowUpPlan, ServiceEvent, messages
from aftersales_industrial.settings import IndustrialSettings

_ = messages("aftersales_industrial")

AFTER_INSTALLATION = (
    _("Is the machine installed, and are you satisfied with it?"),
    _("Can you operate the machine independently, and what help do you need?"),
    _("Are you satisfied with the engineer's attitude?"),
    _("Were you told the service hotline number?"),
)
"""Seed 004's four questions, asked on every installation call."""

AFTER_REPAIR = (_("Is the machine repaired, and are you satisfied with it?"), *AFTER_INSTALLATION[1:])
"""The same questionnaire, its first question asked of the repair."""

MAINTENANCE_REVIEW = (
    _("Are the machine's maintenance records complete since the last review?"),
    _("Which faults or stoppages have recurred since the last review?"),
    _("What do we recommend to the customer (a maintenance visit, parts to replace, operator training, a software "
      "upgrade)?"),
    _("Did the customer accept the recommendation?"),
)
"""What the periodic review of the maintenance records answers: the records, the pattern, the recommendation."""

RETURN_VISIT = (
    _("How does the machine perform in daily production?"),
    _("Which faults or stoppages has it had since installation?"),
    _("What would the customer improve in this type of machine?"),
    _("What does the visiting engineer recommend?"),
)
"""What a sample return visit to a machine type asks, to find improvements."""


def followups(settings: IndustrialSettings, event: ServiceEvent) -> list[FollowUpPlan]:
    """The plans the tenant's settings schedule after ``event``; none for other events."""
    if event.kind == "training_signed_off":
        plans = [
            *(_call(f"installation_call_{days}d", timedelta(days=days), AFTER_INSTALLATION)
              for days in settings.followup_after_installation_days),
            *(_call(f"installation_call_{months}m", relativedelta(months=months), AFTER_INSTALLATION)
              for months in settings.followup_after_installation_months),
            maintenance_review(settings),
        ]
        if sampled_for_return_visit(event, settings.return_visit_percent):
            plans.append(_call("return_visit", relativedelta(months=settings.return_visit_after_months),
                               RETURN_VISIT))
        return plans
    if event.kind == "repaired":
        return [_call(f"repair_call_{days}d", timedelta(days=days), AFTER_REPAIR)
                for days in settings.followup_after_repair_days]
    return []


def maintenance_review(settings: IndustrialSettings) -> FollowUpPlan:
    """Every ``maintenance_review_months``, as many times as fit in the parts-support years."""
    every = relativedelta(months=settings.maintenance_review_months)
    count = max(settings.parts_support_years * 12 // settings.maintenance_review_months, 1)
    return FollowUpPlan(name="maintenance_review", after=every, channel="call", questionnaire=MAINTENANCE_REVIEW,
                        repeat_every=every, repeat_count=count)


def sampled_for_return_visit(event: ServiceEvent, percent: int) -> bool:
    """Whether this installation is in the return-visit sample: ``percent`` of each machine type's installations,
    chosen by a stable hash of the model and the moment of the sign-off, so the same event always gets the same
    answer (pure and reproducible, as hooks are) and no type goes unsampled for long."""
    if percent <= 0:
        return False
    sku = event.product.sku if event.product is not None else ""
    digest = hashlib.blake2b(f"{sku}|{event.occurred_at.isoformat()}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % 100 < percent


def _call(name: str, after: timedelta | relativedelta, questionnaire: tuple[str, ...]) -> FollowUpPlan:
    return FollowUpPlan(name=name, after=after, channel="call", questionnaire=questionnaire)
