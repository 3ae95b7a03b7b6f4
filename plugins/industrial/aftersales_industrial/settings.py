"""What an industrial-machines tenant can configure, with seed 004's numbers (Golden Laser) as defaults.

A tenant manifest overrides these under ``[settings.industrial]``. Every number seed 004 states is a setting with
the seed's value as its default. The warranty terms the seed leaves open (machine, laser source, parts,
consumables), the period of the maintenance-record review and the return-visit sample are settings too; their
defaults are assumptions, said so in each description and in ``tenants/golden-laser.toml``.

Cross-field rules are field validators (``validate_default=True``), so a bad value is reported on the field
that broke the rule (``settings.industrial.onsite_hours_beyond_radius``) alongside every other bad field.
"""

from __future__ import annotations

from pydantic import Field, PositiveInt, ValidationInfo, field_validator

from aftersales.contract import PluginSettings, at_least, valid_regular_expression


class IndustrialSettings(PluginSettings):
    """The rules of one industrial-machines tenant."""

    serial_pattern: str | None = Field(
        default=None,
        description=("Regular expression a whole machine serial must match (upper-cased); None accepts any serial "
                     "the core accepts. Seed 004 gives no serial format."),
    )
    # -- warranty (seed 004 leaves every term open: the defaults are assumptions) ------------------------------
    machine_warranty_months: int = Field(
        default=12, gt=0,
        description="Assumption (seed 004 gives no term): the machine is under warranty 12 months from the sale.",
    )
    laser_source_warranty_months: int = Field(
        default=24, gt=0,
        description="Assumption (seed 004 gives no term): the laser source is under warranty 24 months.",
    )
    parts_support_years: int = Field(
        default=8, gt=0,
        description="Assumption (seed 004 gives no term): spare parts are supplied for 8 years from the sale.",
    )
    consumables_covered: bool = Field(
        default=False,
        description=("Assumption (seed 004 gives no term): consumables (nozzles, protective lenses, ceramic rings, "
                     "filters) wear out in use and are not covered by the warranty."),
    )
    warranty_from_training_sign_off: bool = Field(
        default=True,
        description=("Assumption (seed 004 gives no start): the warranty runs from the customer's sign-off of the "
                     "installation training, when the machine is handed over working; from the sale until then."),
    )
    software_upgrades_free: bool = Field(
        default=True, description="seed 004: software upgrades are free from the purchase date.",
    )
    # -- clocks (seed 004) -------------------------------------------------------------------------------------
    onsite_radius_km: int = Field(
        default=300, gt=0,
        description="seed 004: customers within 300 km of a service point get the faster on-site time.",
    )
    onsite_hours_within_radius: int = Field(
        default=24, gt=0,
        description="seed 004: an engineer on site within 24 h of the complaint within the radius.",
    )
    onsite_hours_beyond_radius: int = Field(
        default=72, gt=0, validate_default=True,
        description="seed 004: an engineer on site within 72 h of the complaint beyond the radius.",
    )
    overseas_reply_hours: int = Field(
        default=10, gt=0, description="seed 004: overseas customers get a reply within 10 h.",
    )
    overseas_repair_hours: int = Field(
        default=72, gt=0, validate_default=True,
        description="seed 004: overseas customers get the repair within 72 h.",
    )
    # -- follow-ups (seed 004) ---------------------------------------------------------------------------------
    followup_after_installation_days: tuple[PositiveInt, ...] = Field(
        default=(3,), description="seed 004: a call 3 days after installation and training.",
    )
    followup_after_installation_months: tuple[PositiveInt, ...] = Field(
        default=(3,), description="seed 004: a call 3 months after installation and training.",
    )
    followup_after_repair_days: tuple[PositiveInt, ...] = Field(
        default=(3,),
        description=("seed 004: a call on each repair request; made 3 days after the machine is repaired, as after "
                     "installation (the seed gives no delay for this call)."),
    )
    maintenance_review_months: int = Field(
        default=6, gt=0,
        description=("seed 004: each customer's maintenance records are reviewed periodically, with recommendations. "
                     "Assumption (the seed gives no period): every 6 months, for as long as parts are supplied."),
    )
    return_visit_percent: int = Field(
        default=10, ge=0, le=100,
        description=("seed 004: sample return visits to machines of the same type, to find improvements. "
                     "Assumption (the seed gives no rate): one installation in ten, chosen reproducibly."),
    )
    return_visit_after_months: int = Field(
        default=6, gt=0,
        description="Assumption (seed 004 gives no delay): a sampled machine is visited 6 months after its training.",
    )

    @field_validator("serial_pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        return None if value is None else valid_regular_expression(value)

    @field_validator("onsite_hours_beyond_radius")
    @classmethod
    def _beyond_is_not_faster_than_within(cls, value: int, info: ValidationInfo) -> int:
        return at_least("onsite_hours_within_radius", value, info)

    @field_validator("overseas_repair_hours")
    @classmethod
    def _repair_is_not_before_reply(cls, value: int, info: ValidationInfo) -> int:
        return at_least("overseas_reply_hours", value, info)
