"""The industrial vertical's service catalogue (seed 004) and the price of the one service it makes free.

Seed 004's services: first installation, operation and training on site; on-site repair; maintenance; and
software upgrades, free from the purchase date. Any other job is priced by the core default.
"""

from __future__ import annotations

from aftersales.contract import JobFacts, OfferingSpec, Quote, QuoteLine, messages
from aftersales_industrial.settings import IndustrialSettings

_ = messages("aftersales_industrial")

SOFTWARE_UPGRADE = "software_upgrade"

CATALOGUE = (
    OfferingSpec("installation_training", _("Installation and training on site"), "installation", 480,
                 skill="machine_installation"),
    OfferingSpec("onsite_repair", _("On-site repair"), "repair", 240, skill="machine_service"),
    OfferingSpec("maintenance_visit", _("Maintenance visit"), "maintenance", 180, skill="machine_service"),
    OfferingSpec(SOFTWARE_UPGRADE, _("Software upgrade"), "software", 60),
)


def service_catalogue() -> list[OfferingSpec]:
    """The same catalogue for every industrial tenant; its admins adapt it from there."""
    return list(CATALOGUE)


def quote(settings: IndustrialSettings, job: JobFacts) -> Quote | None:
    """A software upgrade's labour is free when the tenant's upgrades are; parts and consumables it needs are
    charged at list prices unless the machine is under warranty (as the core prices them). None for other jobs."""
    if job.offering != SOFTWARE_UPGRADE or not settings.software_upgrades_free:
        return None
    free = _("software upgrades are free from the purchase date")
    lines = [QuoteLine("labour", _("Software upgrade"), job.labour_price, covered_by_warranty=True)]
    lines += [QuoteLine("part", _("{name} × {quantity}", name=p.name, quantity=p.quantity), p.price,
                        covered_by_warranty=job.under_warranty) for p in job.parts]
    lines += [QuoteLine("consumable", _("{name} × {quantity}", name=c.name, quantity=c.quantity), c.price,
                        covered_by_warranty=job.under_warranty) for c in job.consumables_used]
    return Quote(lines=tuple(lines), reasons=(free,))
