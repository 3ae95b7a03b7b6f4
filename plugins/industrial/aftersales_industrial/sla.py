"""The clocks of an industrial-machine service request (seed 004, Golden Laser).

"Customers within 300 km of a service point get an engineer on site within 24 h of the complaint; beyond 300 km
within 72 h; overseas customers get a reply within 10 h and the repair within 72 h." The clocks run in calendar
hours: the promise counts the hours a customer's machine stands still, not the company's office hours, and an
overseas customer lives in another time zone, where only elapsed time means the same on both sides.

Distance is the core's ``RequestFacts.site_distance_km``: the great-circle distance to the *nearest* active
service point, to a tenth of a kilometre, the precision the reason states; "within 300 km" includes 300.0 km. A
customer whose location or whose company's service points are not known gets the slower promise, with that reason.

Kinds without a rule here (installation, inquiry, return …) defer to the core (a first-response clock; a
complaint's ``complaint_response``, which the core adds to an overseas complaint's reply clock too).
Installation is scheduled with the machine's delivery, not run against a clock from a report.
"""

from __future__ import annotations

from datetime import timedelta

from aftersales.contract import RequestFacts, SlaTarget, messages
from aftersales_industrial.settings import IndustrialSettings

_ = messages("aftersales_industrial")

ONSITE_KINDS = ("repair", "maintenance")
"""A machine fault or a service need the customer reports sends an engineer on site."""


def sla_targets(settings: IndustrialSettings, tenant_country: str, request: RequestFacts) -> list[SlaTarget] | None:
    """Every clock the request runs, or None where seed 004 states no promise (the core default applies)."""
    country = (request.customer_country or "").upper()
    if country and country != tenant_country.upper():
        return overseas_targets(settings, country, request.kind)
    if request.kind not in ONSITE_KINDS:
        return None
    hours, reason = onsite_promise(settings, request)
    return [SlaTarget(name="onsite", duration=timedelta(hours=hours), clock="calendar",
                      met_on=("on_site", "ended"), reason=reason)]


def overseas_targets(settings: IndustrialSettings, country: str, kind: str) -> list[SlaTarget]:
    """A reply within ``overseas_reply_hours`` on every request, and the repair within ``overseas_repair_hours``
    when the machine needs service."""
    reply = settings.overseas_reply_hours
    targets = [SlaTarget(name="reply", duration=timedelta(hours=reply), clock="calendar",
                         met_on=("contacted", "ended"),
                         reason=_("an overseas customer ({country}) gets a reply within {hours} h",
                                  country=country, hours=reply))]
    if kind in ONSITE_KINDS:
        repair = settings.overseas_repair_hours
        targets.append(SlaTarget(name="repair", duration=timedelta(hours=repair), clock="calendar",
                                 met_on=("ready", "ended"),
                                 reason=_("an overseas customer ({country}) gets the repair within {hours} h",
                                          country=country, hours=repair)))
    return targets


def onsite_promise(settings: IndustrialSettings, request: RequestFacts) -> tuple[int, str]:
    """The hours to an engineer on site, by the distance to the nearest service point, with the reason."""
    radius, slow = settings.onsite_radius_km, settings.onsite_hours_beyond_radius
    km = request.site_distance_km  # the core's, from the customer's location and the active service points
    if km is None:
        if request.customer_location is not None and not request.service_points:
            return slow, _("an engineer on site within {hours} h: the company has no service point on record",
                           hours=slow)
        return slow, _("an engineer on site within {hours} h: the customer's location is not known", hours=slow)
    if km <= radius:
        fast = settings.onsite_hours_within_radius
        return fast, _("an engineer on site within {hours} h: the customer is {km} km from the nearest service "
                       "point (within {radius} km)", hours=fast, km=km, radius=radius)
    return slow, _("an engineer on site within {hours} h: the customer is {km} km from the nearest service point "
                   "(beyond {radius} km)", hours=slow, km=km, radius=radius)

