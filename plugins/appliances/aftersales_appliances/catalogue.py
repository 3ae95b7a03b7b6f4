"""The appliances vertical's default service catalogue: installation and repair per appliance category.

Seed 001 (Entekhab): "installation and repair during warranty must be done by an authorised technician", so
every installation and repair is marked ``warranty_needs_authorisation``; the booking refuses an in-warranty
job with a provider the tenant has not authorised. A repair needs the category's skill, an installation the
``installation`` skill.
"""

from __future__ import annotations

from aftersales.contract import OfferingSpec

CATEGORIES = {
    "refrigerator": "refrigerator",
    "washing_machine": "washing machine",
    "dishwasher": "dishwasher",
    "cooker": "cooker",
    "air_conditioner": "air conditioner",
}
INSTALLATION_MINUTES = 90
REPAIR_MINUTES = 120


def service_catalogue() -> list[OfferingSpec]:
    """One installation and one repair offering per category."""
    offerings = []
    for category, label in CATEGORIES.items():
        offerings.append(OfferingSpec(f"install_{category}", f"{label.capitalize()} installation", category,
                                      INSTALLATION_MINUTES, skill="installation", warranty_needs_authorisation=True))
        offerings.append(OfferingSpec(f"repair_{category}", f"{label.capitalize()} repair", category, REPAIR_MINUTES,
                                      skill=category, warranty_needs_authorisation=True))
    return offerings
