"""Warranty terms of an industrial machine (seed 004 leaves them open: the terms are settings, see
:mod:`aftersales_industrial.settings`).

The machine is covered ``machine_warranty_months`` (or its model's own term) from the sale, its laser source
``laser_source_warranty_months``, spare parts are supplied ``parts_support_years``, and consumables are excluded
unless ``consumables_covered``. Until the contract carries per-component coverage, the machine's term is the
warranty period, the parts-supply term is ``parts_support_end``, and the laser source's longer term is stated in
the reasons the customer reads. Claims are the core default's (free repair inside the warranty, paid outside):
seed 004 states no claim rule.
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from aftersales.contract import ProductInfo, SaleInfo, WarrantyTerms, messages
from aftersales_industrial.settings import IndustrialSettings

_ = messages("aftersales_industrial")


def warranty_terms(settings: IndustrialSettings, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms:
    """The terms of one sold machine, with a reason per term."""
    start = sale.sold_on
    machine = product.warranty_months or settings.machine_warranty_months
    source = settings.laser_source_warranty_months
    years = settings.parts_support_years
    source_end = start + relativedelta(months=source)
    parts_end = start + relativedelta(years=years)
    reasons = [
        _("{months}-month warranty on the machine from the sale", months=machine),
        _("the laser source is under warranty for {months} months, until {date}", months=source, date=source_end),
        _("spare parts are supplied for {years} years, until {date}", years=years, date=parts_end),
    ]
    exclusions = []
    if not settings.consumables_covered:
        exclusions.append(_("consumables (nozzles, protective lenses, ceramic rings, filters) are not covered"))
    if settings.software_upgrades_free:
        reasons.append(_("software upgrades are free from the purchase date"))
    return WarrantyTerms(warranty_start=start, warranty_end=start + relativedelta(months=machine),
                         parts_support_end=parts_end, exclusions=tuple(exclusions), reasons=tuple(reasons))
