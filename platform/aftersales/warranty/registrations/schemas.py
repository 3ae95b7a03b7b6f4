"""Request and response bodies of registrations, coverage and claims."""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import date, datetime
from typing import Literal, get_type_hints
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator

from aftersales.contract.money import Money
from aftersales.contract.values import ClaimReport
from aftersales.http.language import Said
from aftersales.warranty.schemas import ModelSummary


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CustomerIn(_Body):
    name: str = Field(max_length=400)
    phone: str | None = Field(default=None, max_length=40, description="Local or international form.")
    email: str | None = Field(default=None, max_length=254)


class RegistrationIn(_Body):
    serial: str = Field(max_length=200)
    purchased_on: date
    owner: CustomerIn
    invoice_number: str = Field(default="", max_length=400)
    price: str | None = Field(default=None, max_length=40,
                              description="Price paid, a decimal in the tenant's currency (e.g. \"12500000\").")
    seller: str = Field(default="", max_length=400)


class TransferIn(_Body):
    new_owner: CustomerIn
    transferred_on: date


class MoneyOut(BaseModel):
    amount: str = Field(description="Decimal amount, e.g. \"99.50\".")
    currency: str
    amount_minor: int

    @classmethod
    def of(cls, money: Money) -> MoneyOut:
        return cls(amount=str(money).split(" ")[0], currency=money.currency, amount_minor=money.amount_minor)


class CoverageItemOut(BaseModel):
    """One component's own cover: until when (None when excluded), and why."""

    component: str = Field(description="The vertical's code for the component, e.g. laser_source.")
    name: Said = Field(description="What people call it, in the reader's language (the code with spaces when the "
                                   "vertical names it not).")
    covered: bool
    covered_until: date | None = Field(description="The last day covered; None when the component is excluded.")
    status: Literal["in_warranty", "expired", "not_started", "not_covered"]
    reason: Said


class CoverageOut(BaseModel):
    status: Literal["in_warranty", "expired", "not_started", "no_warranty"]
    warranty_start: date
    warranty_end: date
    parts_support_end: date | None
    return_until: date | None
    exchange_until: date | None
    restarts_on_exchange: bool
    exclusions: list[Said]
    reasons: list[Said] = Field(description="The rules that produced these terms, in words.")
    items: list[CoverageItemOut] = Field(description="Per-component cover, each with its own end; empty when "
                                                     "the whole unit is covered alike.")
    cause: str = Field(description="Why it was computed: registered, transferred, exchanged, installed or "
                                   "training_signed_off.")
    computed_at: datetime


class OwnerOut(BaseModel):
    id: UUID
    name: str
    phone: str | None
    email: str | None


class RegistrationOut(BaseModel):
    id: UUID
    serial: str
    model: ModelSummary
    status: str
    owner: OwnerOut
    purchased_on: date
    owned_from: date
    ended_on: date | None
    invoice_number: str
    price: MoneyOut | None
    seller: str
    previous_id: UUID | None
    has_proof: bool
    installed_on: date | None = Field(description="When the unit was installed or commissioned, if recorded.")
    training_signed_off_on: date | None = Field(description="When the customer signed off the installation "
                                                            "training, if they did.")
    coverage: CoverageOut | None


class InstallationIn(_Body):
    installed_on: date = Field(description="When the unit was installed or commissioned at the customer's site; "
                                           "the warranty is decided again from it.")


class OwnershipOut(BaseModel):
    """One link of a unit's ownership chain."""

    registration_id: UUID
    status: str
    owner_name: str
    owned_from: date
    ended_on: date | None


class SerialDetail(BaseModel):
    """A unit as staff see it: the register entry and its current coverage (owner details need
    ``registrations:read`` and come from the registration)."""

    serial: str
    model: ModelSummary
    status: str
    batch: str
    manufactured_on: date | None
    shipped_on: date | None
    seller: str
    clone_suspected_at: datetime | None
    status_reason: str | None
    registration_id: UUID | None
    coverage: CoverageOut | None


class _ClaimBody(_Body):
    registration_id: UUID

    def report(self) -> ClaimReport:
        """The facts as the claim service takes them."""
        return ClaimReport(**self.model_dump(exclude={"registration_id"}))


_CLAIM_FIELD_DESCRIPTIONS = {
    "component": "The component or wear part claimed for: one of the coverage items' codes when the warranty "
                 "itemises its cover (422 names them otherwise).",
    "delivered_sealed": "Unset when nobody recorded it.",
    "installed_by_authorised_technician": "Unset when not recorded.",
}
ClaimIn = create_model(
    "ClaimIn", __base__=_ClaimBody, __module__=__name__,
    __doc__='The facts of a claim. Checklist facts default to "not confirmed" (false): say what was seen.',
    **{fact.name: (hint, Field(default=fact.default, description=_CLAIM_FIELD_DESCRIPTIONS.get(fact.name)))
       if fact.default is not MISSING else (hint, ...)
       for fact, hint in ((fact, get_type_hints(ClaimReport)[fact.name]) for fact in fields(ClaimReport))},
)
"""A claim's body: the registration, then exactly :class:`~aftersales.contract.values.ClaimReport`'s fields (built
from them, so the API and the claim rules cannot disagree on what a claim records)."""


class ResolutionOptionOut(BaseModel):
    kind: str
    amount: MoneyOut | None
    reason: Said


class ClaimOut(BaseModel):
    id: UUID
    registration_id: UUID
    serial: str
    kind: str
    reported_on: date
    component: str | None
    decision: str
    failed_conditions: list[Said] = Field(description="Every condition that failed, in words an agent reads out.")
    reasons: list[Said]
    requires_onsite_visit: bool
    arrange_by_phone_first: bool
    status: str
    replacement_serial: str | None
    exchanged_on: date | None
    resolution_options: list[ResolutionOptionOut] | None
    facts: dict[str, object]


class ExchangeIn(_Body):
    replacement_serial: str = Field(max_length=200)
    exchanged_on: date


class ExchangeOut(BaseModel):
    claim: ClaimOut
    registration: RegistrationOut


NOT_THE_CALLERS = {
    "business_days_in_service": "is not taken from the caller: the business days at the service centre are counted "
                                "from the claim's service requests (holds excluded)",
    "invoice_price": "is not taken from the caller: the invoice price is the purchase price on the registration",
}
"""What a replace-or-refund body once took or might be expected to take, with why it is refused."""


class ReplacementOfferIn(_Body):
    """What the experts judged; the days at the service centre and the invoice price are the record's, not the
    caller's (a body naming them is refused, saying where they come from)."""

    business_days_in_service: None = Field(default=None, exclude=True, description=(
        "Not taken: counted from the claim's service requests, holds excluded. A value is refused."))
    invoice_price: None = Field(default=None, exclude=True, description=(
        "Not taken: the purchase price on the registration. A value is refused."))

    invoice_price_was_market_price: bool | None = Field(
        default=None, description="The purchase invoice's price was the market price at invoice time.")
    expert_price: str | None = Field(default=None, max_length=40,
                                     description="The price the experts assessed, refunded when the invoice's was not "
                                                 "the market price.")

    replacement_approved_by_expert: bool = False

    @field_validator("business_days_in_service", "invoice_price", mode="before")
    @classmethod
    def _not_the_callers(cls, value: object, info: ValidationInfo) -> None:
        if value is not None:
            raise ValueError(NOT_THE_CALLERS[str(info.field_name)])


class StatusChangeIn(_Body):
    action: Literal["block", "recall", "release"]
    reason: str = Field(max_length=1000)
