"""The electronics vertical's default service catalogue: diagnostics, screen and battery repair."""

from __future__ import annotations

from aftersales.contract import OfferingSpec

CATALOGUE = [
    OfferingSpec("diagnostics", "Diagnostics", "diagnostics", 30),
    OfferingSpec("screen_repair", "Screen repair", "repair", 60, skill="screens"),
    OfferingSpec("battery_replacement", "Battery replacement", "repair", 30, skill="batteries"),
]


def service_catalogue() -> list[OfferingSpec]:
    """The same catalogue for every electronics tenant; admins adapt it (a laser-machine maker adds its own)."""
    return list(CATALOGUE)
