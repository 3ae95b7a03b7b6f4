"""The intake checklist of a device taken in for repair (seed 000, Mehr: "the device is taken in with its box"):
the box, the charger, other accessories, visible damage and photos, and how long the device may take between a
service office and the central workshop before it is reported missing (``transfer_expected_business_days``)."""

from __future__ import annotations

from aftersales.contract import IntakeChecklist, IntakeItem, messages
from aftersales_electronics.settings import ElectronicsSettings

_ = messages("aftersales_electronics")


def intake_checklist(settings: ElectronicsSettings) -> IntakeChecklist:
    """Mehr's checklist; every item but the other accessories must be answered."""
    return IntakeChecklist(
        items=(
            IntakeItem("box", _("Original box handed in"), "yes_no"),
            IntakeItem("charger", _("Charger handed in"), "yes_no"),
            IntakeItem("accessories", _("Other accessories handed in (cable, earphones, case)"), "text",
                       required=False),
            IntakeItem("visible_damage", _("Visible damage (scratches, cracks, dents), or none"), "text"),
            IntakeItem("photos", _("Photos of the device, front and back"), "photos"),
        ),
        transfer_expected_business_days=settings.transfer_expected_business_days,
    )
