"""How charged work is priced, said in the tenant's own terms.

Yizhongyi (seed 003) charges out of warranty "travel in full, parts at the list price, labour at a discount";
Carmax (seed 002) sells nothing and charges the provider's prices. Each sentence is said only when the tenant's
settings make it true: travel only when travel is charged by distance, the list price only for a tenant that
sells the units (its own price list), a discount only when it gives one.
"""

from __future__ import annotations

from aftersales.contract import Message, messages
from aftersales_auto_service.settings import AutoServiceSettings

_ = messages("aftersales_auto_service")


def charged_terms(settings: AutoServiceSettings) -> tuple[Message, ...]:
    """The tenant's pricing of charged work, one sentence per rule it has (none for a plain marketplace)."""
    said: list[Message] = []
    if settings.travel_charged_out_of_warranty and settings.travel_per_km_minor:
        said.append(_("travel is charged in full, by distance"))
    if settings.sells_units:
        said.append(_("parts at the manufacturer's list price"))
    if settings.labour_discount_percent:
        said.append(_("labour at a negotiated discount of {percent} %", percent=settings.labour_discount_percent))
    return tuple(said)

