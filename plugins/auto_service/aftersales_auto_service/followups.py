"""Usage tracking after installation (seed 003, Yizhongyi): a follow-up call every month.

Seed 003's workflow runs pre-sale, in-sale, installation and commissioning, then usage tracking: tracking
starts once the equipment is installed (``installed``), not at the sale, so a unit that is sold and then
installed is tracked once. The calls repeat until the unit's warranty ends (the core's rule for a plan
without a count). A tenant that tracks no usage (``usage_followup_months = 0``: Carmax, seed 002, a marketplace
that installs no equipment) plans none, so its customers are never asked about "the equipment".
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from aftersales.contract import FollowUpPlan, ServiceEvent, messages
from aftersales_auto_service.settings import AutoServiceSettings

_ = messages("aftersales_auto_service")

USAGE_QUESTIONS = (
    _("Is the equipment in regular use and working normally?"),
    _("Has anything gone wrong, or does anyone need help operating it?"),
)
"""The seed gives no questionnaire for usage tracking; these two ask what tracking is for."""


def followups(settings: AutoServiceSettings, event: ServiceEvent) -> list[FollowUpPlan]:
    """The monthly usage-tracking calls after an installation; none after other events, or for a tenant that
    tracks no usage."""
    if event.kind != "installed" or not settings.usage_followup_months:
        return []
    every = relativedelta(months=settings.usage_followup_months)
    return [FollowUpPlan(name="usage_tracking", after=every, channel="call", questionnaire=USAGE_QUESTIONS,
                         repeat_every=every)]
