"""What an appliances tenant can configure, with Entekhab's rules (seed 001) as defaults.

Money thresholds are in Iranian rial (``_irr``, 0 minor digits; 1 toman = 10 rial), the currency of every
appliances tenant so far. A tenant manifest overrides these under ``[settings.appliances]``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from aftersales.contract import PluginSettings, valid_regular_expression

RegularExpression = Annotated[str, Field(min_length=1), AfterValidator(valid_regular_expression)]
SkuPrefix = Annotated[str, Field(min_length=1)]


class AppliancesSettings(PluginSettings):
    """The rules of one appliances tenant: warranty and parts, serial formats per model, orders, refunds."""

    warranty_months: int = Field(default=24, gt=0, description="seed 001: a two-year warranty.")
    parts_support_years: int = Field(
        default=10,
        gt=0,
        validate_default=True,
        description="seed 001: parts and support for ten years (from a customer's comment).",
    )
    serial_patterns: dict[SkuPrefix, RegularExpression] = Field(
        default_factory=dict,
        description=(
            "Serial format per model: a model SKU prefix mapped to a regular expression the whole "
            "upper-cased serial must match. The longest prefix of the product's SKU wins."
        ),
    )
    default_serial_pattern: RegularExpression = Field(
        default=r"^[A-Z0-9]{8,20}$",
        description=(
            "The serial format of models no prefix in serial_patterns matches, or of an unknown model."
        ),
    )
    proforma_valid_business_days: int = Field(
        default=7,
        gt=0,
        description=(
            "seed 001: a pro-forma invoice stays valid for 7 business days when the wallet was charged in "
            "time."
        ),
    )
    unfunded_order_followup_days: int = Field(
        default=30, gt=0, description="seed 001: an order not funded within a month goes to follow-up."
    )
    wallet_refund_below_irr: int = Field(
        default=5_000_000,
        gt=0,
        description=(
            "seed 001: wallet credit under 500,000 toman (5,000,000 IRR) is refundable; "
            "above it, it can only be spent on products. In IRR."
        ),
    )
    cash_refund_below_irr: int = Field(
        default=30_000_000,
        gt=0,
        description=(
            "seed 001: a cash refund under about 3,000,000 toman (30,000,000 IRR), with identity verified "
            "and an IBAN (Sheba) owned by the same national ID. In IRR."
        ),
    )
    bounced_cheque_wait_days: int = Field(
        default=14, gt=0, description="seed 001: after a bounced cheque the customer waits 2 weeks."
    )
    late_delivery_compensation_bps_per_day: int = Field(
        default=10,
        ge=0,
        le=10_000,
        description=(
            "seed 001 (late delivery: tell the customer what compensation applies): the share of the order's "
            "price given for each day past the promised delivery date, in basis points (10 = 0.1 %); 0 gives none."
        ),
    )
    late_delivery_compensation_cap_bps: int = Field(
        default=500,
        ge=0,
        le=10_000,
        description="The most a late delivery's compensation reaches, in basis points of the order's price (500 = 5 %).",
    )
    cheque_approval_business_days: int = Field(
        default=3,
        gt=0,
        description=(
            "seed 001: a cheque that funds an order and is not approved within this standard time (business "
            "days; the seed names no number) is escalated to finance, so the order is not cancelled automatically."
        ),
    )
    unfunded_order_cancel_days: int = Field(
        default=60,
        ge=0,
        description=(
            "Days after which an order still unfunded is cancelled automatically, never while its cheque "
            "escalation is open (the seed names no number; 0 never cancels)."
        ),
    )
    authorised_technician_required: bool = Field(
        default=True,
        description=(
            "seed 001: installation and repair during the warranty must be done by an authorised technician."
        ),
    )
    installation_damage_requires_sealed_delivery: bool = Field(
        default=True,
        description=(
            "seed 001: damage found at installation is covered only if the box was sealed on delivery."
        ),
    )
    warranty_free_categories: list[str] = Field(
        default_factory=lambda: ["installation", "repair"],
        description="seed 001: installation and repair during the warranty are free (offering categories).",
    )
    platform_fee_bps: int = Field(
        default=0,
        ge=0,
        le=10_000,
        description="The platform's fee on a charged job, in basis points (1000 = 10 %); the rest is the provider's.",
    )

    @field_validator("parts_support_years")
    @classmethod
    def _parts_outlast_the_warranty(cls, value: int, info: ValidationInfo) -> int:
        warranty_months = info.data.get("warranty_months")
        if warranty_months is not None and value * 12 < warranty_months:
            raise ValueError(f"parts support must last at least the warranty ({warranty_months} months)")
        return value
