"""Follow-up calls after installation and repair (seed 004, Golden Laser), with its fixed questionnaire, and a
call back for a low satisfaction score (seed 000, Mehr: "dissatisfaction is followed up continuously").

Installation calls count from the customer's sign-off of the training (``training_signed_off``), not from
``installed``: seed 004 runs installation, operation and training as one on-site visit that is complete when
the customer signs the training off, and its questionnaire asks whether the customer can operate the machine
independently, which nobody can answer before the training. A tenant without follow-up settings (Mehr) gets
none here; the core's satisfaction survey after a closed request still applies, and an answer scored at or
below ``low_satisfaction_score`` is called back once (:func:`route_answer`).
"""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from aftersales.contract import FollowUpAnswer, FollowUpPlan, FollowUpRouting, ServiceEvent, messages
from aftersales_electronics.settings import ElectronicsSettings

_ = messages("aftersales_electronics")

AFTER_INSTALLATION = (
    _("Is the machine installed, and are you satisfied with it?"),
    _("Can you operate the machine independently?"),
    _("Are you satisfied with the engineer's attitude?"),
    _("Were you told the service hotline number?"),
)
"""Seed 004's four questions, asked on every installation follow-up call."""

AFTER_REPAIR = (_("Is the machine repaired, and are you satisfied with it?"), *AFTER_INSTALLATION[1:])
"""The same questionnaire, its first question asked of the repair."""

AFTER_LOW_SCORE = (
    _("What left the customer dissatisfied?"),
    _("Is the customer satisfied now?"),
)
"""What the call back after a low satisfaction score records."""


def followups(settings: ElectronicsSettings, event: ServiceEvent) -> list[FollowUpPlan]:
    """The calls the tenant's settings schedule after ``event``; none for other events."""
    if event.kind == "training_signed_off":
        return [
            *(_call(f"installation_call_{days}d", timedelta(days=days), AFTER_INSTALLATION)
              for days in settings.followup_after_installation_days),
            *(_call(f"installation_call_{months}m", relativedelta(months=months), AFTER_INSTALLATION)
              for months in settings.followup_after_installation_months),
        ]
    if event.kind == "repaired":
        return [_call(f"repair_call_{days}d", timedelta(days=days), AFTER_REPAIR)
                for days in settings.followup_after_repair_days]
    return []


def _call(name: str, after: timedelta | relativedelta, questionnaire: tuple[str, ...]) -> FollowUpPlan:
    return FollowUpPlan(name=name, after=after, channel="call", questionnaire=questionnaire)


def route_answer(settings: ElectronicsSettings, answer: FollowUpAnswer) -> FollowUpRouting | None:
    """A follow-up's own answer scored at or below ``low_satisfaction_score`` is called back (once: its call back
    is a step, whose answer is left to the core); a reported problem and everything else are the core's rule."""
    threshold = settings.low_satisfaction_score
    if answer.problem_reported or answer.routing or answer.csat is None or answer.csat > threshold:
        return None
    return FollowUpRouting("call_back", _("the customer scored the service {score} out of 5, at or below {threshold}: "
                                          "call them back", score=answer.csat, threshold=threshold),
                           questionnaire=AFTER_LOW_SCORE)
