"""The industrial vertical's service catalogue (seed 004) and the price of the one service it makes free.

Seed 004's services: first installation, operation and training on site; on-site repair; maintenance; and
software upgrades, free from the purchase date. Any other job is priced by the core default.
"""

from __future__ import annotations

from dataclasses import replace

from aftersales.contract import JobFacts, OfferingSpec, Quote, TenantContext, defaults, messages
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


def quote(tenant: TenantContext, job: JobFacts) -> Quote | None:
    """A software upgrade's labour is free when the tenant's upgrades are; travel, parts and consumables are
    priced as the core prices them (free only under warranty). None for other jobs: the core default."""
    if job.offering != SOFTWARE_UPGRADE or not tenant.settings_as(IndustrialSettings).software_upgrades_free:
        return None
    core = defaults.aftersales_quote(tenant=tenant, job=job)
    labour, *rest = core.lines
    lines = (replace(labour, covered_by_warranty=True), *rest)
    return Quote(lines=lines, reasons=(_("software upgrades are free from the purchase date"),))
