"""Appliance quotes (seed 001, Entekhab): installation and repair in warranty are free; everything else, and
any job out of warranty, is charged at the provider's labour price and the list prices of parts."""

from __future__ import annotations

from aftersales.contract import JobFacts, Quote, QuoteLine, messages
from aftersales.contract.defaults import counted
from aftersales_appliances.settings import AppliancesSettings

_ = messages("aftersales_appliances")


def quote(settings: AppliancesSettings, job: JobFacts) -> Quote:
    """The itemised quote for ``job`` under the tenant's settings."""
    free = job.under_warranty and job.offering_category in settings.warranty_free_categories
    lines = [QuoteLine("labour", job.offering, job.labour_price, covered_by_warranty=free)]
    lines += [QuoteLine("part", counted(p.name, p.quantity), p.price, covered_by_warranty=free) for p in job.parts]
    lines += [QuoteLine("consumable", counted(c.name, c.quantity), c.price, covered_by_warranty=free)
              for c in job.consumables_used]
    if free:
        reason = _("{category} in warranty is free", category=job.offering_category)
    elif job.under_warranty and job.offering_category:
        reason = _("{category} is not free under the warranty", category=job.offering_category)
    elif job.under_warranty:
        reason = _("this service is not free under the warranty")
    else:
        reason = _("out of warranty: labour at the provider's price, parts at list prices")
    return Quote(lines=tuple(lines), reasons=(reason,), platform_fee_bps=settings.platform_fee_bps)
