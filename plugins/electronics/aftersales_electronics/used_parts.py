"""The customer's warranty on a used part taken from a scrapped unit for an urgent repair (seed 000, Mehr)."""

from __future__ import annotations

from aftersales.contract import PartFacts, UsedPartTerms, messages
from aftersales_electronics.settings import ElectronicsSettings

_ = messages("aftersales_electronics")


def used_part_terms(settings: ElectronicsSettings, part: PartFacts) -> UsedPartTerms:
    days = settings.used_part_warranty_days
    if days == 0:
        return UsedPartTerms(warranty_days=0, reasons=(_("a part taken from a scrapped unit carries no warranty"),))
    return UsedPartTerms(warranty_days=days, reasons=(
        _("a part taken from a scrapped unit is covered for {days} days from fitting", days=days),))
