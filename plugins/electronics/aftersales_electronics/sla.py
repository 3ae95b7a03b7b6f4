"""The clocks of an electronics service request (seed 000, Mehr; seed 004, Golden Laser).

Mehr's clocks run on business time because its promises are written in business days and hours: a repair or
exchange result within 7 business days (the intake receipt's date), a replacement offered after 30 business
days at the service centre, a complaint answered within 48 business hours.

Golden Laser's (a tenant with ``distance_sla``) run on calendar hours: "an engineer on site within 24 h of
the complaint" counts the hours the customer's machine stands still, not the company's office hours; the
overseas promises (reply within 10 h, repair within 72 h) are made to customers in other time zones, where
only elapsed time means the same thing on both sides. Its repair-result, replacement and complaint clocks
keep the vertical's defaults, which are Mehr's, as its manifest says.

Kinds with no rule here (installation, maintenance, return, inquiry for a domestic customer) defer to the
core's first-response clock.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from haversine import Unit, haversine

from aftersales.contract import HOLD_REASONS, GeoPoint, RequestFacts, SlaTarget, messages
from aftersales_electronics.settings import DistanceSla, ElectronicsSettings

RESULT_KINDS = ("repair", "exchange")
"""Seed 000: problems that need diagnosis (a part swap or a device swap) are taken in with a receipt."""
ONSITE_KINDS = ("repair", "maintenance")
"""Seed 004: a machine fault or service need reported by the customer sends an engineer on site. Installation
is scheduled with the delivery, not run against a clock from the report."""
RESOLVED = ("ready", "ended")

_ = messages("aftersales_electronics")


def sla_targets(settings: ElectronicsSettings, tenant_country: str, request: RequestFacts) -> list[SlaTarget] | None:
    """Every clock the request runs, or None where the vertical has no rule (the core default applies).

    ``tenant_country`` tells a domestic customer from an overseas one.
    """
    targets: list[SlaTarget] = []
    if settings.distance_sla is not None:
        targets += _distance_targets(settings.distance_sla, tenant_country, request)
    if request.kind in RESULT_KINDS:
        targets += _repair_targets(settings)
    if request.kind == "complaint":
        targets.append(_complaint_target(settings))
    return targets or None


def _repair_targets(settings: ElectronicsSettings) -> list[SlaTarget]:
    result_days = settings.repair_result_business_days
    replacement_days = settings.replacement_after_business_days
    return [
        SlaTarget(
            name="result",
            duration=timedelta(days=result_days),
            clock="business_days",
            met_on=RESOLVED,
            reason=_("the intake receipt promises a result within {days} business days", days=result_days),
        ),
        SlaTarget(
            name="replacement",
            duration=timedelta(days=replacement_days),
            clock="business_days",
            met_on=RESOLVED,
            pauses_on=HOLD_REASONS,  # days waiting on the customer are not days at the service centre
            on_breach="offer_replacement",
            reason=_("a unit still unresolved after {days} business days at the service centre is "
                     "replaced: the customer chooses a replacement or a refund", days=replacement_days),
        ),
    ]


def _complaint_target(settings: ElectronicsSettings) -> SlaTarget:
    hours = settings.complaint_response_business_hours
    return SlaTarget(
        name="complaint_response",
        duration=timedelta(hours=hours),
        clock="business_hours",
        met_on=("answered",),
        reason=_("every complaint is answered within {hours} business hours; an unanswered one goes to management",
                 hours=hours),
    )


def _distance_targets(sla: DistanceSla, tenant_country: str, request: RequestFacts) -> list[SlaTarget]:
    country = (request.customer_country or "").upper()
    if country not in ("", tenant_country.upper()):
        targets = [SlaTarget(
            name="reply",
            duration=timedelta(hours=sla.overseas_reply_hours),
            clock="calendar",
            met_on=("contacted", "ended"),
            reason=_("an overseas customer ({country}) gets a reply within {hours} h", country=country,
                     hours=sla.overseas_reply_hours),
        )]
        if request.kind in ONSITE_KINDS:
            targets.append(SlaTarget(
                name="repair",
                duration=timedelta(hours=sla.overseas_repair_hours),
                clock="calendar",
                met_on=RESOLVED,
                reason=_("an overseas customer ({country}) gets the repair within {hours} h", country=country,
                         hours=sla.overseas_repair_hours),
            ))
        return targets
    if request.kind not in ONSITE_KINDS:
        return []
    hours, reason = _onsite_hours(sla, request.customer_location, request.service_points)
    return [SlaTarget(
        name="onsite",
        duration=timedelta(hours=hours),
        clock="calendar",
        met_on=("on_site", "ended"),
        reason=reason,
    )]


def _onsite_hours(sla: DistanceSla, customer: GeoPoint | None,
                  service_points: tuple[GeoPoint, ...]) -> tuple[int, str]:
    """The on-site time by the distance to the nearest service point, with the reason an agent reads out."""
    radius = sla.onsite_radius_km
    slow = sla.onsite_hours_beyond_radius
    if customer is None:
        return slow, _("an engineer on site within {hours} h: the customer's location is not known", hours=slow)
    if not service_points:
        return slow, _("an engineer on site within {hours} h: the company has no service point on record", hours=slow)
    nearest_km = min(distance_km(customer, point) for point in service_points)
    nearest = Decimal(f"{nearest_km:.1f}")
    if nearest_km <= radius:
        fast = sla.onsite_hours_within_radius
        return fast, _("an engineer on site within {hours} h: the customer is {distance} km from the "
                       "nearest service point (within {radius} km)", hours=fast, distance=nearest, radius=radius)
    return slow, _("an engineer on site within {hours} h: the customer is {distance} km from the nearest "
                   "service point (beyond {radius} km)", hours=slow, distance=nearest, radius=radius)


def distance_km(customer: GeoPoint, point: GeoPoint) -> float:
    """Great-circle distance in kilometres between the customer and a service point."""
    return haversine((customer.latitude, customer.longitude), (point.latitude, point.longitude), unit=Unit.KILOMETERS)
