"""Warranty terms of an industrial machine (seed 004 leaves them open: the terms are settings, see
:mod:`aftersales_industrial.settings`).

Per component (``WarrantyTerms.coverage``): the ``machine`` is covered ``machine_warranty_months`` (or its model's
own term), the ``laser_source`` ``laser_source_warranty_months``, ``parts`` ``parts_support_years`` (also the
parts-support end), and ``consumables`` are excluded unless ``consumables_covered``. A claim names one of these
codes and the core decides it by that item. The machine's term is the unit's warranty period.

The terms run from the customer's sign-off of the installation training when ``warranty_from_training_sign_off``
(the machine is handed over working then; the core decides the terms again when the sign-off is recorded), and
from the sale until then. Software upgrades are free from the purchase date whatever the start.
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from aftersales.contract import CoverageItem, ProductInfo, SaleInfo, WarrantyTerms, messages
from aftersales_industrial.settings import IndustrialSettings

_ = messages("aftersales_industrial")

MACHINE, LASER_SOURCE, PARTS, CONSUMABLES = "machine", "laser_source", "parts", "consumables"
"""The component codes a claim names."""


def warranty_terms(settings: IndustrialSettings, product: ProductInfo, sale: SaleInfo) -> WarrantyTerms:
    """The terms of one sold machine, with a coverage item and a reason per component."""
    signed_off = sale.training_signed_off_on if settings.warranty_from_training_sign_off else None
    start = signed_off or sale.sold_on
    machine = product.warranty_months or settings.machine_warranty_months
    source, years = settings.laser_source_warranty_months, settings.parts_support_years
    machine_end = start + relativedelta(months=machine)
    source_end = start + relativedelta(months=source)
    parts_end = start + relativedelta(years=years)
    reasons = [
        _("the warranty runs from the customer's sign-off of the installation training on {date}", date=start)
        if signed_off else _("the warranty runs from the sale on {date}", date=start),
        _("{months}-month warranty on the machine, until {date}", months=machine, date=machine_end),
        _("the laser source is under warranty for {months} months, until {date}", months=source, date=source_end),
        _("spare parts are supplied for {years} years, until {date}", years=years, date=parts_end),
    ]
    consumables = _("consumables (nozzles, protective lenses, ceramic rings, filters) are not covered")
    items = [
        CoverageItem(MACHINE, machine_end, reason=reasons[1], name=_("machine")),
        CoverageItem(LASER_SOURCE, source_end, reason=reasons[2], name=_("laser source")),
        CoverageItem(PARTS, parts_end, reason=reasons[3], name=_("spare parts")),
        CoverageItem(CONSUMABLES, machine_end, reason=_("consumables are covered with the machine"),
                     name=_("consumables"))
        if settings.consumables_covered else CoverageItem(CONSUMABLES, None, covered=False, reason=consumables,
                                                          name=_("consumables")),
    ]
    if settings.software_upgrades_free:
        reasons.append(_("software upgrades are free from the purchase date"))
    return WarrantyTerms(warranty_start=start, warranty_end=machine_end, parts_support_end=parts_end,
                         exclusions=() if settings.consumables_covered else (consumables,),
                         reasons=tuple(reasons), coverage=tuple(items))
