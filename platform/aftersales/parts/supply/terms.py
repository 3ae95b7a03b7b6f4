"""The customer's warranty on a used part, asked of the tenant's vertical (``aftersales_used_part_terms``)."""

from __future__ import annotations

from aftersales.contract.values import PartFacts, UsedPartTerms
from aftersales.service.quotes.models import PartPrice
from aftersales.tenancy.current import CurrentTenant


def used_part_terms(tenant: CurrentTenant, part: PartPrice) -> UsedPartTerms:
    """The vertical's warranty on ``part`` fitted used (the core default: none)."""
    terms: UsedPartTerms = tenant.hooks.aftersales_used_part_terms(
        tenant=tenant.context, part=PartFacts(code=part.code, name=part.name, wear_part=part.wear_part))
    return terms
