"""Auto-service quotes: Yizhongyi's charges out of warranty (seed 003) and Carmax's consumables rule (seed 002).

For a tenant that sells the units (Yizhongyi), in warranty on a unit it sold, labour, parts and travel are free
(lines kept, marked covered); out of warranty, or on a unit it did not sell, the work is charged: travel in full
by distance, parts at the list price and labour at the provider's price less the negotiated discount. A
marketplace that sells nothing (Carmax) charges the provider's prices and says no "sold by the company" rule;
each pricing sentence is said only when the tenant has that rule (:mod:`.charges`). Consumables must be ones the
customer asked for.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from aftersales.contract import JobFacts, Money, Quote, QuoteLine, messages
from aftersales.contract.defaults import counted
from aftersales_auto_service.charges import charged_terms
from aftersales_auto_service.settings import AutoServiceSettings

_ = messages("aftersales_auto_service")


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def travel_price(settings: AutoServiceSettings, distance_km: float, currency: str) -> Money:
    """Distance times the per-km rate, rounded half up to a minor unit."""
    return Money(_half_up(Decimal(str(distance_km)) * settings.travel_per_km_minor), currency)


def terms(settings: AutoServiceSettings) -> dict[str, Any]:
    """The terms every quote of the tenant carries: the platform's fee, whether an accepted quote caps the charge
    (seed 002: the customer never pays more than the price accepted in the app) and whether extra work needs the
    customer's consent first (seed 002)."""
    return {"platform_fee_bps": settings.platform_fee_bps, "binding": settings.quote_is_binding,
            "extra_work_needs_consent": settings.extra_work_needs_consent}


def quote(settings: AutoServiceSettings, job: JobFacts) -> Quote:
    """The itemised quote for ``job`` under the tenant's settings."""
    currency = job.labour_price.currency
    unasked = [c for c in job.consumables_used if c.code not in job.consumables_requested]
    if settings.consumables_must_match_request and unasked:
        asked = ", ".join(job.consumables_requested)
        return Quote(lines=(), **terms(settings), refused=tuple(
            _("consumable {code} ({name}) was not requested by the customer (requested: {asked})",
              code=c.code, name=c.name, asked=asked) if asked else
            _("consumable {code} ({name}) was not requested by the customer (requested: none)",
              code=c.code, name=c.name)
            for c in unasked))
    free = settings.sells_units and job.under_warranty and job.sold_by_tenant
    lines = [QuoteLine("labour", job.offering, job.labour_price, covered_by_warranty=free)]
    reasons: list[str] = []
    if free:
        reasons.append(_("in warranty on a unit the company sold: labour, parts and travel are free"))
    else:
        if not settings.sells_units:
            reasons.append(_("the work is charged at the provider's prices"))
        elif job.sold_by_tenant:
            reasons.append(_("out of warranty: the work is charged"))
        else:
            reasons.append(_("not sold by the company: the work is charged"))
        reasons += charged_terms(settings)
        if settings.labour_discount_percent:
            discount = _half_up(Decimal(job.labour_price.amount_minor) * settings.labour_discount_percent / 100)
            lines.append(QuoteLine("discount", _("negotiated labour discount {percent} %",
                                                 percent=settings.labour_discount_percent),
                                   Money(-discount, currency)))
    lines += [QuoteLine("part", counted(p.name, p.quantity), p.price, covered_by_warranty=free) for p in job.parts]
    lines += [QuoteLine("consumable", counted(c.name, c.quantity), c.price, covered_by_warranty=free)
              for c in job.consumables_used]
    if job.distance_km > 0 and settings.travel_per_km_minor and (free or settings.travel_charged_out_of_warranty):
        lines.append(QuoteLine("travel", _("travel {distance} km", distance=Decimal(f"{job.distance_km:g}")),
                               travel_price(settings, job.distance_km, currency), covered_by_warranty=free))
    return Quote(lines=tuple(lines), reasons=tuple(reasons), **terms(settings))
