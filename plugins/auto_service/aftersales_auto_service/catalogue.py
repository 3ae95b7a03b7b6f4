"""The auto-service vertical's default service catalogue.

What a tenant services follows from its serials: a tenant whose units are cars (VINs, Carmax, seed 002) gets car
services; one whose units are garage equipment (its own serial pattern, Yizhongyi, seed 003) gets installation
and commissioning, repair and diagnostics of that equipment. Durations are usual times; admins change them.
"""

from __future__ import annotations

from aftersales.contract import OfferingSpec
from aftersales_auto_service.settings import AutoServiceSettings

CAR_SERVICES = [
    OfferingSpec("oil_change", "Oil and filter change", "maintenance", 45),
    OfferingSpec("diagnostics", "Diagnostics", "diagnostics", 60),
    OfferingSpec("brake_service", "Brake service", "repair", 120, skill="brakes"),
    OfferingSpec("tyre_change", "Tyre change", "tyres", 45, skill="tyres"),
]
EQUIPMENT_SERVICES = [
    OfferingSpec("lift_installation", "Vehicle lift installation and commissioning", "installation", 240,
                 skill="lifts"),
    OfferingSpec("lift_repair", "Vehicle lift repair", "repair", 120, skill="lifts"),
    OfferingSpec("equipment_diagnostics", "Garage equipment diagnostics", "diagnostics", 60),
]


def service_catalogue(settings: AutoServiceSettings) -> list[OfferingSpec]:
    """Car services for a tenant of cars, equipment services for a tenant of garage equipment."""
    return list(CAR_SERVICES if settings.serial_scheme == "vin" else EQUIPMENT_SERVICES)
