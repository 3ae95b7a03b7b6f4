"""Providers: the workshops, mobile technicians and service companies that take a tenant's customers' jobs.

A provider starts ``pending``; the tenant's admins activate it, suspend it and activate it again, each time with
a reason. Only an ``active`` provider is bookable or listed to customers. The tenant's authorisation (a reference,
and optionally a last day) is what Entekhab's in-warranty installation and repair need (seed 001). A provider's
own user edits its contacts and description; its name, kind, skills, status and authorisation are the tenant's.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, cast, exists, func, not_, or_, select, tuple_
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from aftersales.identity.customers import normalise_contacts
from aftersales.marketplace.catalogue.services import skill_errors
from aftersales.marketplace.models import Offering, Provider, ProviderOffering

Kind = Literal["workshop", "mobile_technician", "service_company"]
KINDS = ("workshop", "mobile_technician", "service_company")
Status = Literal["pending", "active", "suspended"]
NEXT_STATUSES: dict[str, frozenset[str]] = {
    "pending": frozenset({"active", "suspended"}),
    "active": frozenset({"suspended"}),
    "suspended": frozenset({"active"}),
}
"""Where a status may go: an applicant is activated or turned away (suspended); nothing returns to pending."""
PROVIDER_EDITABLE = frozenset({"email", "phone", "description"})
"""What a provider's own user may change of its profile."""
REFERENCE = re.compile(r"^\S.{0,79}$", re.DOTALL)


@dataclass(frozen=True)
class ProviderFilter:
    """Which providers a staff list shows; None means any."""

    status: str | None = None
    skill: str | None = None
    authorised: bool | None = None


def is_authorised(provider: Provider, day: date) -> bool:
    """Whether the tenant's authorisation holds on ``day`` (its last day included)."""
    return provider.authorised and (provider.authorised_until is None or day <= provider.authorised_until)


def _text_errors(values: dict[str, Any], required: tuple[str, ...]) -> list[FieldError]:
    return [FieldError(name, "must not be empty") for name in required if name in values
            and not str(values[name] or "").strip()]


def _checked_profile(values: dict[str, Any], country: str) -> dict[str, Any]:
    """The profile fields of ``values`` validated and normalised. :raises InvalidInput: every bad field."""
    errors = _text_errors(values, ("name",))
    if "kind" in values and values["kind"] not in KINDS:
        errors.append(FieldError("kind", f"one of {', '.join(KINDS)}"))
    checked = dict(values)
    if "skills" in values and values["skills"] is None:
        errors.append(FieldError("skills", "give a list of skills (empty for none)"))
    elif "skills" in values:
        skills = [s.strip().lower() for s in values["skills"]]
        errors += skill_errors(skills, "skills")
        checked["skills"] = sorted(set(skills))
    if "phone" in values or "email" in values:
        phone, email = normalise_contacts(values.get("phone"), values.get("email"), country, "", errors)
        checked.update({k: v for k, v in (("phone", phone), ("email", email)) if k in values})
    for name in ("name", "description"):
        if name in checked:
            checked[name] = (checked[name] or "").strip()
    if errors:
        raise InvalidInput("invalid provider", errors)
    return checked


async def create_provider(session: AsyncSession, country: str, values: dict[str, Any]) -> Provider:
    """A new provider, ``pending`` until an admin activates it. ``values``: name, kind, skills, email, phone,
    description. :raises InvalidInput: every bad field; nothing is written."""
    checked = _checked_profile({"skills": [], "description": "", **values}, country)
    provider = Provider(**checked, status="pending")
    session.add(provider)
    await session.flush()
    return provider


async def get_provider(session: AsyncSession, provider_id: uuid.UUID) -> Provider:
    """:raises NotFound: no such provider in this tenant."""
    provider = await session.scalar(select(Provider).where(Provider.id == provider_id))
    if provider is None:
        raise NotFound("no such provider")
    return provider


async def _skills_still_needed(session: AsyncSession, provider_id: uuid.UUID, skills: list[str]) -> list[str]:
    """Codes of the provider's active prices whose offering needs a skill not in ``skills``."""
    needed = await session.scalars(
        select(Offering.code).join(ProviderOffering, ProviderOffering.offering_id == Offering.id)
        .where(ProviderOffering.provider_id == provider_id, ProviderOffering.active, Offering.skill.is_not(None),
               Offering.skill.not_in(skills)).order_by(Offering.code))
    return list(needed)


async def edit_profile(session: AsyncSession, country: str, provider_id: uuid.UUID, values: dict[str, Any], *,
                       by_provider: bool) -> Provider:
    """Change the given profile fields. A provider's own user may change only :data:`PROVIDER_EDITABLE`.

    :raises PermissionDenied: a provider user changing what the tenant decides.
    :raises InvalidInput: a bad field, or dropping a skill an offered service needs (withdraw the price first).
    """
    if by_provider and (foreign := sorted(set(values) - PROVIDER_EDITABLE)):
        raise PermissionDenied(f"a provider edits its contacts and description; {', '.join(foreign)} are the tenant's")
    provider = await get_provider(session, provider_id)
    checked = _checked_profile(values, country)
    if "skills" in checked and (codes := await _skills_still_needed(session, provider_id, checked["skills"])):
        raise InvalidInput("invalid provider", [FieldError(
            "skills", f"the provider still offers {', '.join(codes)}, which needs a skill being removed")])
    for name, value in checked.items():
        setattr(provider, name, value)
    await session.flush()
    return provider


async def change_status(session: AsyncSession, provider_id: uuid.UUID, status: str, reason: str) -> Provider:
    """Move a provider along :data:`NEXT_STATUSES`, with the reason kept on the provider.

    :raises InvalidInput: an unknown status or an empty reason.
    :raises Conflict: the provider is already in that status, or cannot go there from its own.
    """
    errors = [] if status in NEXT_STATUSES else [FieldError("status", "one of active, suspended")]
    if not reason.strip():
        errors.append(FieldError("reason", "say why the status changes"))
    if errors:
        raise InvalidInput("invalid status change", errors)
    provider = await get_provider(session, provider_id)
    if provider.status == status:
        raise Conflict(f"the provider is already {status}")
    if status not in NEXT_STATUSES[provider.status]:
        raise Conflict(f"a {provider.status} provider cannot become {status}")
    provider.status, provider.status_reason = status, reason.strip()
    await session.flush()
    return provider


async def set_authorisation(session: AsyncSession, provider_id: uuid.UUID, *, authorised: bool,
                            until: date | None, reference: str | None, today: date) -> Provider:
    """Authorise a provider (with the tenant's reference, optionally up to a last day) or withdraw it.

    :raises InvalidInput: authorising without a reference or up to a day already past; a withdrawal that names
        a last day or a reference.
    """
    errors = []
    if authorised:
        if reference is None or not REFERENCE.match(reference.strip()):
            errors.append(FieldError("reference", "the authorisation's reference (1 to 80 characters) is required"))
        if until is not None and until < today:
            errors.append(FieldError("until", "is in the past"))
    else:
        errors += [FieldError(name, "a withdrawn authorisation has none") for name, value in
                   (("until", until), ("reference", reference)) if value is not None]
    if errors:
        raise InvalidInput("invalid authorisation", errors)
    provider = await get_provider(session, provider_id)
    provider.authorised, provider.authorised_until = authorised, until if authorised else None
    provider.authorisation_ref = reference.strip() if authorised and reference else None
    await session.flush()
    return provider


def _has_skill(session: AsyncSession, skill: str) -> ColumnElement[bool]:
    if session.get_bind().dialect.name == "postgresql":
        return cast(Provider.skills, JSONB).contains([skill])
    each = func.json_each(Provider.skills).table_valued("value")
    return exists(select(1).select_from(each).where(each.c.value == skill))


async def list_providers(session: AsyncSession, which: ProviderFilter, *, today: date, limit: int,
                         after: tuple[str, uuid.UUID] | None = None) -> list[Provider]:
    """Providers by name (then id), from just after ``after``; the filters combine."""
    query = select(Provider).order_by(Provider.name, Provider.id).limit(limit)
    if which.status is not None:
        query = query.where(Provider.status == which.status)
    if which.skill is not None:
        query = query.where(_has_skill(session, which.skill.strip().lower()))
    if which.authorised is not None:
        holds = and_(Provider.authorised, or_(Provider.authorised_until.is_(None), Provider.authorised_until >= today))
        query = query.where(holds if which.authorised else not_(holds))
    if after is not None:
        query = query.where(tuple_(Provider.name, Provider.id) > tuple_(*after))
    return list(await session.scalars(query))
