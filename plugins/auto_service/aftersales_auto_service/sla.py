"""The clocks of an auto-service request, from seed 003's commitments (Yizhongyi, garage equipment).

The service centre contacts the customer within 2-4 h: a 4-hour clock, at risk after 2. It counts business
hours, because a callback is made while the centre is open; counted in calendar hours, every report made in
the evening would breach overnight.

The day-scale promises (staff on site within 24 h, large items 48 h at most; in-house repairs within 24 h;
parts waited for no more than 5 days) count business days: on a working day "24 h" is the same time the next
day, and across a weekend or a public holiday (Spring Festival, Golden Week) it is the next working day, as
seed 003 plans work: "next day's work is scheduled the afternoon before". Counted in calendar hours, every
request opened before a holiday week would breach.

Carmax (seed 002) states no numbers; its manifest keeps these clocks, so it runs them too, in its own words (a
marketplace's support team calls back; no service centre), and its "same-day callback or visit" is met by the
4-hour contact clock. Seed 003's large-item rule (> 1 m³ or > 100 kg: 48 h at most) runs only for a tenant whose
settings have it; Carmax's manifest sets both limits to 0 (issue 19 §2.2).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from aftersales.contract import RequestFacts, SlaTarget, messages
from aftersales_auto_service.settings import AutoServiceSettings

ONSITE_KINDS = ("repair", "maintenance", "installation")
"""Requests that send staff to the customer: seed 003's "staff on site within 24 h" is a general commitment."""
REPAIR_KINDS = ("repair", "maintenance")
"""Requests whose unit may go into repair and wait for parts."""

_ = messages("aftersales_auto_service")


def sla_targets(settings: AutoServiceSettings, request: RequestFacts) -> list[SlaTarget]:
    """Every clock the request runs: first contact always; on site, repair and parts wait by kind."""
    targets = [_first_contact(settings)]
    if request.kind in ONSITE_KINDS:
        targets.append(_onsite(settings, request))
    if request.kind in REPAIR_KINDS:
        targets += _repair(settings)
    return targets


def _first_contact(settings: AutoServiceSettings) -> SlaTarget:
    low, high = settings.first_contact_hours_min, settings.first_contact_hours_max
    return SlaTarget(
        name="first_contact",
        duration=timedelta(hours=high),
        clock="business_hours",
        met_on=("contacted", "ended"),
        at_risk_fraction=low / high,
        reason=(_("the service centre contacts the customer within {low}-{high} business hours", low=low, high=high)
                if settings.sells_units else
                _("the support team calls the customer back within {low}-{high} business hours", low=low, high=high)),
    )


def _onsite(settings: AutoServiceSettings, request: RequestFacts) -> SlaTarget:
    usual = settings.onsite_hours
    if settings.is_large(request.product):
        most = settings.onsite_hours_large_item_max
        return SlaTarget(
            name="onsite",
            duration=timedelta(hours=most),
            clock="business_days",
            met_on=("on_site", "ended"),
            at_risk_fraction=usual / most,
            reason=_("a large item (over {volume} m³ or {weight} kg): staff on site within {usual} h, {most} h at most",
                     volume=Decimal(f"{settings.large_item_volume_m3:g}"),
                     weight=Decimal(f"{settings.large_item_weight_kg:g}"), usual=usual, most=most),
        )
    return SlaTarget(
        name="onsite",
        duration=timedelta(hours=usual),
        clock="business_days",
        met_on=("on_site", "ended"),
        reason=_("staff on site within {hours} h of the report", hours=usual),
    )


def _repair(settings: AutoServiceSettings) -> list[SlaTarget]:
    hours, days = settings.inhouse_repair_hours, settings.parts_wait_max_days
    return [
        SlaTarget(
            name="in_house_repair",
            duration=timedelta(hours=hours),
            clock="business_days",
            starts_on="in_repair",
            met_on=("ready", "ended"),
            pauses_on=("waiting_for_customer", "waiting_for_parts"),
            reason=_("a repair is done within {hours} h of starting it; time waiting for parts has its own clock",
                     hours=hours),
        ),
        SlaTarget(
            name="parts_wait",
            duration=timedelta(days=days),
            clock="business_days",
            starts_on="waiting_for_parts",
            met_on=("left:waiting_for_parts",),
            on_breach="raise_priority",
            reason=_("waiting for parts may not exceed {days} days", days=days),
        ),
    ]
