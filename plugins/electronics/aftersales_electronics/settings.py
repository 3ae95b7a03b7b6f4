"""What an electronics tenant can configure, with the seed companies' rules as defaults.

A tenant manifest overrides these under ``[settings.electronics]``. Cross-field rules are field validators
(``validate_default=True``) rather than one model validator, so a bad value is reported on the field that
broke the rule, e.g. ``settings.electronics.serial_pattern``, alongside every other bad field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationInfo, field_validator

from aftersales.contract import PluginSettings, valid_regular_expression


class DistanceSla(BaseModel):
    """On-site and overseas service times by the customer's distance from a service point (seed 004)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    onsite_radius_km: int = Field(
        default=300,
        gt=0,
        description="seed 004: customers within 300 km of a service point get the faster on-site time.",
    )
    onsite_hours_within_radius: int = Field(
        default=24,
        gt=0,
        description="seed 004: an engineer on site within 24 h of the complaint inside the radius.",
    )
    onsite_hours_beyond_radius: int = Field(
        default=72,
        gt=0,
        validate_default=True,
        description="seed 004: an engineer on site within 72 h of the complaint beyond the radius.",
    )
    overseas_reply_hours: int = Field(
        default=10, gt=0, description="seed 004: overseas customers get a reply within 10 h."
    )
    overseas_repair_hours: int = Field(
        default=72,
        gt=0,
        validate_default=True,
        description="seed 004: overseas customers get the repair within 72 h.",
    )

    @field_validator("onsite_hours_beyond_radius")
    @classmethod
    def _beyond_is_not_faster_than_within(cls, value: int, info: ValidationInfo) -> int:
        within = info.data.get("onsite_hours_within_radius")
        if within is not None and value < within:
            raise ValueError(f"must be at least onsite_hours_within_radius ({within})")
        return value

    @field_validator("overseas_repair_hours")
    @classmethod
    def _repair_is_not_before_reply(cls, value: int, info: ValidationInfo) -> int:
        reply = info.data.get("overseas_reply_hours")
        if reply is not None and value < reply:
            raise ValueError(f"must be at least overseas_reply_hours ({reply})")
        return value


class ElectronicsSettings(PluginSettings):
    """The rules of one electronics tenant: warranty, repair clocks, serial format, optional distance SLA."""

    warranty_months: int = Field(
        default=18,
        gt=0,
        description=(
            "Warranty length in months. The digest gives no number for seed 000 (Mehr); "
            "18 months is the common term of Iranian phone importers."
        ),
    )
    repair_result_business_days: int = Field(
        default=7,
        gt=0,
        description="seed 000: the intake receipt promises a repair result within at most 7 business days.",
    )
    replacement_after_business_days: int = Field(
        default=30,
        gt=0,
        validate_default=True,
        description=(
            "seed 000: a device still unresolved after 30 business days at the service centre is replaced."
        ),
    )
    complaint_response_business_hours: int = Field(
        default=48, gt=0, description="seed 000: every complaint is answered within 48 business hours."
    )
    hologram_required: bool = Field(
        default=True,
        description=(
            "seed 000: a genuine warranty card carries a hologram whose code is verified with the card code."
        ),
    )
    serial_scheme: Literal["imei", "pattern"] = Field(
        default="imei",
        description=(
            "seed 000: warranties are registered by device serial; phones by IMEI (15 digits, Luhn check "
            "digit). 'pattern' checks serials against serial_pattern instead (e.g. machines, seed 004)."
        ),
    )
    serial_pattern: str | None = Field(
        default=None,
        validate_default=True,
        description=(
            "Regular expression a whole serial must match (upper-cased); required when serial_scheme is "
            "'pattern'."
        ),
    )
    software_upgrades_free: bool = Field(
        default=False, description="seed 004: software upgrades are free from the purchase date."
    )
    distance_sla: DistanceSla | None = Field(
        default=None,
        description=(
            "seed 004: on-site and overseas service times by distance; None when the tenant has no such SLA."
        ),
    )
    followup_after_installation_days: tuple[PositiveInt, ...] = Field(
        default=(),
        description=(
            "seed 004: follow-up calls this many days after installation and training (Golden Laser: 3)."
        ),
    )
    followup_after_installation_months: tuple[PositiveInt, ...] = Field(
        default=(),
        description="seed 004: follow-up calls this many months after installation (Golden Laser: 3).",
    )
    followup_after_repair_days: tuple[PositiveInt, ...] = Field(
        default=(),
        description=(
            "seed 004: a follow-up call on each repair, this many days after the unit is repaired "
            "(Golden Laser: 3, as after installation)."
        ),
    )
    low_satisfaction_score: int = Field(
        default=2,
        ge=0,
        le=5,
        description=(
            "seed 000: dissatisfaction is followed up continuously: a satisfaction score (1-5) at or below this "
            "puts a call back to the customer on the agents' list. The seed gives no number; 2 (dissatisfied or "
            "very dissatisfied) is an assumption. 0: no call for a low score."
        ),
    )
    used_part_warranty_days: int = Field(
        default=90,
        ge=0,
        le=3660,
        description=(
            "seed 000: urgent parts may be taken from a scrapped unit; the customer's warranty on such a used part "
            "runs this many days from fitting. The seed gives no number; 90 days is an assumption. 0: no warranty."
        ),
    )

    transfer_expected_business_days: int = Field(
        default=3,
        ge=1,
        le=60,
        description=(
            "seed 000: a device goes to the central workshop or the nearest service office and back; a transfer "
            "not received within this many business days is a missing unit. The seed names no number; 3 is an "
            "assumption."
        ),
    )

    @field_validator("replacement_after_business_days")
    @classmethod
    def _replacement_comes_after_the_repair_deadline(cls, value: int, info: ValidationInfo) -> int:
        result_days = info.data.get("repair_result_business_days")
        if result_days is not None and value <= result_days:
            raise ValueError(f"must be longer than repair_result_business_days ({result_days})")
        return value

    @field_validator("serial_pattern")
    @classmethod
    def _pattern_goes_with_the_pattern_scheme(cls, value: str | None, info: ValidationInfo) -> str | None:
        scheme = info.data.get("serial_scheme")
        if value is None:
            if scheme == "pattern":
                raise ValueError("required when serial_scheme is 'pattern'")
            return None
        if scheme == "imei":
            raise ValueError("only used when serial_scheme is 'pattern'; IMEIs have a fixed format")
        return valid_regular_expression(value)
