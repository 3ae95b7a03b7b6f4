"""What an auto-service tenant can configure, with the seed companies' rules as defaults.

The numbers come from seed 003 (Yizhongyi, garage equipment) and the marketplace terms from seed 002 (Carmax).
A rule one seed company has and another does not has a "not offered" value (0 months of free warranty, 0 days
of return or exchange, ``sells_units = false``), so a tenant never says another company's policy.
A tenant manifest overrides these under ``[settings.auto_service]``. Cross-field rules are field validators
(``validate_default=True``) rather than one model validator, so a bad value is reported on the field that
broke the rule, e.g. ``settings.auto_service.exchange_days``, alongside every other bad field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from aftersales.contract import PluginSettings, ProductInfo, at_least, is_large_item, valid_regular_expression


class AutoServiceSettings(PluginSettings):
    """The rules of one auto-service tenant: serials, warranty, return and exchange, on-site times, quotes."""

    serial_scheme: Literal["vin", "pattern"] = Field(
        default="vin",
        description=(
            "Cars are identified by VIN (seed 002); 'pattern' checks serials against serial_pattern instead "
            "(garage equipment, seed 003)."
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
    sells_units: bool = Field(
        default=True,
        description=(
            "seed 003: the tenant sells the units it services, so a unit it sold is repaired free under its "
            "warranty and any other is charged ('not sold by the company'). False for a marketplace that sells "
            "nothing (seed 002, Carmax): no 'sold by the company' rule is said or applied, work is charged at "
            "the provider's prices, and the tenant speaks as a marketplace (its support team, jobs paid through "
            "the app) rather than as a seller's service centre."
        ),
    )
    warranty_months: int = Field(
        default=12,
        ge=0,
        description=(
            "Free-warranty length in months (a product model's own length wins). The digest gives no number for "
            "seed 003; 12 months is assumed. 0: no free warranty is offered (seed 002 gives none)."
        ),
    )
    return_days: int = Field(
        default=7,
        ge=0,
        description="seed 003: return (包退) within 7 days of the sale. 0: returns are not offered (seed 002).",
    )
    exchange_days: int = Field(
        default=15,
        ge=0,
        validate_default=True,
        description=(
            "seed 003: exchange (包换) for a quality defect within 15 days of the sale. 0: exchanges are not "
            "offered (seed 002)."
        ),
    )
    warranty_restarts_on_exchange: bool = Field(
        default=True, description="seed 003: the free-warranty period restarts from the exchange date."
    )
    large_item_volume_m3: float = Field(
        default=1.0,
        ge=0,
        description=(
            "seed 003: items over 1 m³ are large: exchanges arranged by phone, repairs on site within "
            "onsite_hours_large_item_max. 0 (with large_item_weight_kg 0): no large-item rule (seed 002, Carmax)."
        ),
    )
    large_item_weight_kg: float = Field(
        default=100.0,
        ge=0,
        validate_default=True,
        description=(
            "seed 003: items over 100 kg are large: exchanges arranged by phone, repairs on site. 0 (with "
            "large_item_volume_m3 0): no large-item rule."
        ),
    )
    onsite_hours: int = Field(
        default=24,
        gt=0,
        description=(
            "seed 003: staff on site within 24 h of the report (plus travel for remote customers). Whole days: "
            "the clock counts business days, so 24 h is the same time on the next business day."
        ),
    )
    onsite_hours_large_item_max: int = Field(
        default=48,
        gt=0,
        validate_default=True,
        description=(
            "seed 003: large items on site within 48 h at most in special cases (at risk after onsite_hours). "
            "Whole days, counted in business days."
        ),
    )
    first_contact_hours_min: int = Field(
        default=2,
        gt=0,
        description="seed 003: the service centre contacts the customer within 2-4 h (lower end).",
    )
    first_contact_hours_max: int = Field(
        default=4,
        gt=0,
        validate_default=True,
        description=(
            "seed 003: the service centre contacts the customer within 2-4 h (upper end, the deadline)."
        ),
    )
    inhouse_repair_hours: int = Field(
        default=24,
        gt=0,
        description="seed 003: in-house repairs done within 24 h. Whole days, counted in business days.",
    )
    parts_wait_max_days: int = Field(
        default=5,
        gt=0,
        description="seed 003: waiting for parts may not exceed 5 days (business days); then priority is raised.",
    )
    usage_followup_months: int = Field(
        default=1,
        ge=0,
        description=(
            "seed 003: usage is tracked by a follow-up call every this many months after installation and "
            "commissioning, until the warranty ends. 0: usage is not tracked (seed 002, Carmax, installs nothing)."
        ),
    )
    customer_ratings_per_day: int = Field(
        default=0,
        ge=0,
        description=(
            "A customer's rating beyond this many in 24 hours is held for review (Carmax: 3, an assumption of "
            "issue 5: seed 002 asks only that ratings be truthful and states no number). 0: no limit."
        ),
    )
    quote_is_binding: bool = Field(
        default=True,
        description="seed 002: the customer never pays more than the price accepted in the app.",
    )
    extra_work_needs_consent: bool = Field(
        default=True,
        description=(
            "seed 002: any part or repair beyond the requested work needs the customer's consent first."
        ),
    )
    travel_charged_out_of_warranty: bool = Field(
        default=True,
        description="seed 003: out of warranty or not sold by the tenant, travel costs are charged in full.",
    )
    travel_per_km_minor: int = Field(
        default=0,
        ge=0,
        description=(
            "seed 003: travel is charged by distance: this much per km, in minor units of the tenant's currency "
            "(rounded half up per job). 0: no travel line."
        ),
    )
    labour_discount_percent: int = Field(
        default=0,
        ge=0,
        le=100,
        description="seed 003: out of warranty, labour is 'negotiated at a discount': this percentage off.",
    )
    consumables_must_match_request: bool = Field(
        default=True,
        description="seed 002: consumables used must match what the customer requested; a quote with others is refused.",
    )
    platform_fee_bps: int = Field(
        default=0,
        ge=0,
        le=10_000,
        description="The platform's fee on a charged job, in basis points (1000 = 10 %); the rest is the provider's.",
    )
    fixes_next_day_plan: bool = Field(
        default=True,
        description=(
            "seed 003: the next day's on-site work is scheduled the afternoon before, at next_day_plan_cutoff_hour: "
            "the technicians' plan is fixed and told to them and the customers, and a visit still unplanned is "
            "flagged. False for a tenant without that rule (seed 002, Carmax: the dispatcher fixes each day's plan)."
        ),
    )
    next_day_plan_cutoff_hour: int = Field(
        default=15,
        ge=0,
        le=23,
        description=(
            "The local hour the next day's plan is fixed, on the last business day before it. Seed 003 says 'the "
            "afternoon before' and names no hour: 15 (3 pm) is assumed."
        ),
    )

    def is_large(self, product: ProductInfo | None) -> bool:
        """The tenant's large-item rule holds for ``product`` (False when the tenant has none, or size unknown)."""
        if product is None or not self.large_item_volume_m3:
            return False
        return is_large_item(product, self.large_item_volume_m3, self.large_item_weight_kg)

    @field_validator("serial_pattern")
    @classmethod
    def _pattern_goes_with_the_pattern_scheme(cls, value: str | None, info: ValidationInfo) -> str | None:
        scheme = info.data.get("serial_scheme")
        if value is None:
            if scheme == "pattern":
                raise ValueError("required when serial_scheme is 'pattern'")
            return None
        if scheme == "vin":
            raise ValueError("only used when serial_scheme is 'pattern'; VINs have a fixed format")
        return valid_regular_expression(value)

    @field_validator("exchange_days")
    @classmethod
    def _exchange_window_covers_the_return_window(cls, value: int, info: ValidationInfo) -> int:
        """An offered exchange lasts at least as long as the return window; 0 (no exchange) always may."""
        return at_least("return_days", value, info) if value else value

    @field_validator("large_item_weight_kg")
    @classmethod
    def _large_item_rule_is_whole(cls, value: float, info: ValidationInfo) -> float:
        """Both limits, or neither (0 and 0: the tenant has no large-item rule)."""
        volume = info.data.get("large_item_volume_m3")
        if volume is not None and (volume == 0) != (value == 0):
            raise ValueError("give both large-item limits, or set both to 0 for no large-item rule")
        return value

    @field_validator("onsite_hours_large_item_max")
    @classmethod
    def _large_item_limit_is_not_below_the_usual_time(cls, value: int, info: ValidationInfo) -> int:
        return at_least("onsite_hours", value, info)

    @field_validator("onsite_hours", "onsite_hours_large_item_max", "inhouse_repair_hours")
    @classmethod
    def _whole_days(cls, value: int) -> int:
        if value % 24:
            raise ValueError("must be whole days (24, 48, ...): the clock counts business days")
        return value

    @field_validator("first_contact_hours_max")
    @classmethod
    def _contact_range_is_ordered(cls, value: int, info: ValidationInfo) -> int:
        return at_least("first_contact_hours_min", value, info)
