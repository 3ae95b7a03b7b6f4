"""Bodies and answers of the service catalogue endpoints."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.marketplace.models import Offering


class OfferingChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    category: str = Field(max_length=60)
    duration_minutes: int = Field(description="The usual duration: over 0, at most 720 (12 hours).")
    skill: str | None = Field(default=None, max_length=60, description="The skill a provider needs, if any.")
    warranty_needs_authorisation: bool = Field(
        default=False, description="In-warranty jobs only with providers the tenant has authorised.")
    active: bool = Field(default=True, description="false retires the offering: no new prices or bookings.")


class OfferingIn(OfferingChangeIn):
    code: str = Field(max_length=60, description="Stable key: lower-case letters, digits and '_'.")


class OfferingOut(BaseModel):
    id: UUID
    code: str
    name: str
    category: str
    duration_minutes: int
    skill: str | None
    warranty_needs_authorisation: bool
    active: bool


def offering_out(o: Offering) -> OfferingOut:
    return OfferingOut(id=o.id, code=o.code, name=o.name, category=o.category, duration_minutes=o.duration_minutes,
                       skill=o.skill, warranty_needs_authorisation=o.warranty_needs_authorisation, active=o.active)
