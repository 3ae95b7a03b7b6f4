"""The tenant's technicians and their authorisations: who goes on site, with which skills, from where, when, how
many visits a day, and for which product categories the maker has authorised them (Entekhab, seed 001)."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.dispatch.models import Technician, TechnicianAuthorisation
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.date_windows import check_authorisation_end
from aftersales.identity.models import StaffUser
from aftersales.identity.principals import Principal
from aftersales.marketplace.models import Provider
from aftersales.tenancy.current import CurrentTenant

MAX_NAME = 200
MAX_EMAIL = 254
MAX_SKILL = 80
MAX_SKILLS = 50
MAX_CATEGORY = 80
MAX_REFERENCE = 120
MAX_DAILY_CAPACITY = 50
"""No one does more than 50 on-site visits a day; a larger number is a typing error (or an attack)."""


@dataclass(frozen=True)
class NewTechnician:
    """A technician as a dispatcher gives them: exactly one of ``staff_user_id`` and ``provider_id``."""

    name: str
    home_latitude: float
    home_longitude: float
    works_from: time
    works_until: time
    weekdays: list[int]
    daily_capacity: int
    skills: list[str]
    staff_user_id: uuid.UUID | None = None
    provider_id: uuid.UUID | None = None
    email: str | None = None
    active: bool = True


@dataclass(frozen=True)
class NewAuthorisation:
    """The maker's authorisation of a technician for a product category, until its last day."""

    category: str
    reference: str
    until: date


def coordinate_errors(latitude: float, longitude: float, prefix: str) -> list[FieldError]:
    """A latitude outside ±90 or a longitude outside ±180 (or not a finite number), named ``<prefix>_latitude``."""
    errors = []
    for name, value, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if not math.isfinite(value) or not -limit <= value <= limit:
            errors.append(FieldError(f"{prefix}_{name}", f"must be between -{limit} and {limit}",
                                     code="dispatch.coordinate_out_of_range", params={"limit": limit}))
    return errors


def text_errors(field: str, value: str | None, limit: int, *, required: bool = True) -> list[FieldError]:
    """An empty (when required) or too long text, named ``field``."""
    if value is None or not value.strip():
        return [FieldError(field, "must not be empty", code="dispatch.text_empty")] if required else []
    if len(value.strip()) > limit:
        return [FieldError(field, f"must be at most {limit} characters", code="dispatch.text_too_long",
                           params={"limit": limit})]
    return []


async def _errors(session: AsyncSession, new: NewTechnician) -> list[FieldError]:
    errors = text_errors("name", new.name, MAX_NAME) + text_errors("email", new.email, MAX_EMAIL, required=False)
    errors += coordinate_errors(new.home_latitude, new.home_longitude, "home")
    if (new.staff_user_id is None) == (new.provider_id is None):
        errors.append(FieldError("staff_user_id", "give exactly one of staff_user_id and provider_id",
                                 code="dispatch.staff_or_provider"))
    elif new.staff_user_id is not None and await session.scalar(
            select(StaffUser.id).where(StaffUser.id == new.staff_user_id)) is None:
        errors.append(FieldError("staff_user_id", "no such staff user", code="dispatch.unknown_staff_user"))
    elif new.provider_id is not None and await session.scalar(
            select(Provider.id).where(Provider.id == new.provider_id)) is None:
        errors.append(FieldError("provider_id", "no such provider", code="dispatch.unknown_provider"))
    if new.works_from >= new.works_until:
        errors.append(FieldError("works_until", "must be after works_from", code="dispatch.hours_out_of_order"))
    if not new.weekdays or any(day not in range(7) for day in new.weekdays) or len(set(new.weekdays)) != len(
            new.weekdays):
        errors.append(FieldError("weekdays", "must be distinct days 0 (Monday) to 6 (Sunday), at least one",
                                 code="dispatch.bad_weekdays"))
    if not 1 <= new.daily_capacity <= MAX_DAILY_CAPACITY:
        errors.append(FieldError("daily_capacity", f"must be 1 to {MAX_DAILY_CAPACITY} visits a day",
                                 code="dispatch.capacity_out_of_range", params={"limit": MAX_DAILY_CAPACITY}))
    if len(new.skills) > MAX_SKILLS:
        errors.append(FieldError("skills", f"at most {MAX_SKILLS} skills", code="dispatch.too_many_skills",
                                 params={"limit": MAX_SKILLS}))
    for index, skill in enumerate(new.skills):
        errors += text_errors(f"skills.{index}", skill, MAX_SKILL)
    return errors


def _apply(technician: Technician, new: NewTechnician) -> None:
    technician.name = new.name.strip()
    technician.staff_user_id, technician.provider_id = new.staff_user_id, new.provider_id
    technician.email = new.email.strip() if new.email and new.email.strip() else None
    technician.skills = sorted({skill.strip() for skill in new.skills})
    technician.home_latitude, technician.home_longitude = new.home_latitude, new.home_longitude
    technician.works_from, technician.works_until = new.works_from, new.works_until
    technician.weekdays = sorted(new.weekdays)
    technician.daily_capacity = new.daily_capacity
    technician.active = new.active


async def create_technician(session: AsyncSession, new: NewTechnician) -> Technician:
    """Add a technician. :raises InvalidInput: every bad field (nothing written). :raises Conflict: the staff
    user is a technician already."""
    if errors := await _errors(session, new):
        raise InvalidInput("the technician cannot be added", errors)
    technician = Technician()
    _apply(technician, new)
    session.add(technician)
    await _flush_once(session, new)
    return technician


async def update_technician(session: AsyncSession, technician_id: uuid.UUID, new: NewTechnician) -> Technician:
    """Replace a technician's details (visits already planned stay planned).

    :raises NotFound: no such technician of the tenant. :raises InvalidInput: every bad field.
    """
    technician = await get_technician(session, technician_id)
    if errors := await _errors(session, new):
        raise InvalidInput("the technician cannot be changed", errors)
    _apply(technician, new)
    await _flush_once(session, new)
    return technician


async def _flush_once(session: AsyncSession, new: NewTechnician) -> None:
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:  # the staff user is (concurrently) another technician
        raise Conflict("this staff user is a technician already", code="dispatch.staff_user_taken",
                       params={"staff_user_id": str(new.staff_user_id)}) from None


async def get_technician(session: AsyncSession, technician_id: uuid.UUID) -> Technician:
    """:raises NotFound: the tenant has no technician with this id."""
    technician = await session.scalar(select(Technician).where(Technician.id == technician_id))
    if technician is None:
        raise NotFound("no such technician")
    return technician


async def list_technicians(session: AsyncSession, *, active: bool | None = None) -> list[Technician]:
    """The tenant's technicians by name (only the active or inactive ones when ``active`` says)."""
    query = select(Technician).order_by(Technician.name, Technician.id)
    if active is not None:
        query = query.where(Technician.active == active)
    return list(await session.scalars(query))


async def technician_of(session: AsyncSession, principal: Principal) -> Technician:
    """The technician the caller is: their own staff user's, else (a provider's user) their provider's first by
    name. :raises NotFound: the caller is no technician of the tenant."""
    query = select(Technician).order_by(Technician.name, Technician.id).limit(1)
    found = None
    if principal.kind == "staff":
        try:
            found = await session.scalar(query.where(Technician.staff_user_id == uuid.UUID(principal.subject)))
        except ValueError:
            found = None
    if found is None and principal.provider_id is not None:
        found = await session.scalar(query.where(Technician.provider_id == principal.provider_id))
    if found is None:
        raise NotFound("you are not one of the tenant's technicians")
    return found


async def authorise(session: AsyncSession, tenant: CurrentTenant, technician_id: uuid.UUID,
                    new: NewAuthorisation) -> TechnicianAuthorisation:
    """Record (or renew) the technician's authorisation for a category, with its reference and last day.

    :raises NotFound: no such technician. :raises InvalidInput: every bad field.
    """
    await get_technician(session, technician_id)
    errors = text_errors("category", new.category, MAX_CATEGORY) + text_errors("reference", new.reference,
                                                                                MAX_REFERENCE)
    if errors:
        raise InvalidInput("the authorisation cannot be recorded", errors)
    check_authorisation_end(new.until, "until", tenant.today())
    category = new.category.strip()
    held = await session.scalar(select(TechnicianAuthorisation).where(
        TechnicianAuthorisation.technician_id == technician_id, TechnicianAuthorisation.category == category))
    if held is None:
        held = TechnicianAuthorisation(technician_id=technician_id, category=category)
        session.add(held)
    held.reference, held.until = new.reference.strip(), new.until
    await session.flush()
    return held


async def authorisations_of(session: AsyncSession, technician_id: uuid.UUID) -> list[TechnicianAuthorisation]:
    return list(await session.scalars(select(TechnicianAuthorisation).where(
        TechnicianAuthorisation.technician_id == technician_id).order_by(TechnicianAuthorisation.category)))
