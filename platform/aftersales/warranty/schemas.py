"""Request and response bodies of the warranty API: serial formats, the catalogue, authenticity checks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aftersales.http.bodies import OptionalAmountMinor
from aftersales.http.language import Said


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SerialFormatCheck(_Body):
    serial: str = Field(max_length=200)


class SerialFormatResult(BaseModel):
    valid: bool
    normalized: str
    scheme: str
    reason: Said | None


class ProductModelIn(_Body):
    """A whole model: saving it again with the same SKU replaces what was stored (fields left out reset)."""

    sku: str
    name: str
    category: str = ""
    volume_m3: float | None = Field(default=None, allow_inf_nan=False)
    weight_kg: float | None = Field(default=None, allow_inf_nan=False)
    warranty_months: int | None = Field(default=None, description="Overrides the vertical's warranty length.")
    attributes: dict[str, str] = Field(default_factory=dict, description="Facts a vertical's rules read.")
    active: bool = True
    in_stock: bool = Field(default=True, description="A pro-forma listing a model out of stock is a store violation.")
    list_price_minor: OptionalAmountMinor = Field(
        default=None, description="The catalogue price in the tenant's currency; orders take it by default.")


class ProductModelOut(BaseModel):
    sku: str
    name: str
    category: str
    volume_m3: float | None
    weight_kg: float | None
    warranty_months: int | None
    attributes: dict[str, str]
    active: bool
    in_stock: bool
    list_price_minor: int | None


Verdict = Literal["genuine", "unknown", "blocked", "recalled", "replaced", "card_not_genuine"]


class AuthenticityQuery(_Body):
    serial: str = Field(max_length=200)
    card_code: str | None = Field(default=None, max_length=100)
    hologram_code: str | None = Field(default=None, max_length=100)


class ModelSummary(BaseModel):
    sku: str
    name: str


class PublicCoverage(BaseModel):
    """The unit's warranty as anyone may see it: whether it runs today and until when, nothing personal."""

    status: Literal["in_warranty", "expired", "not_started", "not_registered"]
    warranty_end: date | None = None
    parts_support_end: date | None = None


class AuthenticityAnswer(BaseModel):
    """What anyone may learn about a serial: never a seller, an owner or any other personal data."""

    verdict: Verdict
    serial: str = Field(description="The serial as the tenant's vertical normalised it.")
    reason: Said = Field(description="Why this verdict, in words that can be read to a customer.")
    model: ModelSummary | None = None
    status: str | None = Field(default=None, description="The unit's status in the registry, when found.")
    coverage: PublicCoverage | None = None


class SuspectedClone(BaseModel):
    serial: str
    model_sku: str
    reason: str
    suspected_at: datetime
