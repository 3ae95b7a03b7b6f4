"""The tenant's service catalogue: what customers can book (oil change, diagnostics, installation, repair …).

Each vertical names a default catalogue (``aftersales_service_catalogue``); onboarding seeds it and re-onboarding
adds only the codes a tenant lacks, so an admin's edits and retirements survive. From then on the catalogue is
the tenant's: admins add, edit and retire (``active = False``) entries; an offering is never deleted, since
bookings and prices name it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.values import OfferingSpec
from aftersales.db.session import TENANT_KEY, TenantSession
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.marketplace.models import Offering

CODE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
SKILL = re.compile(r"^[a-z][a-z0-9_-]{0,59}$")
MAX_DURATION_MINUTES = 12 * 60
"""The longest job one booking holds: a working day and then some."""


@dataclass(frozen=True)
class OfferingChange:
    """What an admin may change of an offering (the code is its name for good)."""

    name: str
    category: str
    duration_minutes: int
    skill: str | None = None
    warranty_needs_authorisation: bool = False
    active: bool = True


def duration_errors(minutes: int, field: str) -> list[FieldError]:
    """Why a job duration is unusable: not positive, or longer than :data:`MAX_DURATION_MINUTES`."""
    if minutes <= 0:
        return [FieldError(field, "must be more than 0 minutes")]
    if minutes > MAX_DURATION_MINUTES:
        return [FieldError(field, f"must be at most {MAX_DURATION_MINUTES} minutes (12 hours)")]
    return []


def skill_errors(skills: Iterable[str | None], field: str) -> list[FieldError]:
    """Why skill names are unusable: a skill is a lower-case word such as ``brakes`` or ``refrigerator``."""
    return [FieldError(f"{field}.{i}" if field == "skills" else field,
                        "a skill is a lower-case word: letters, digits, '_' or '-'")
            for i, skill in enumerate(skills) if skill is not None and not SKILL.match(skill)]


def _change_errors(change: OfferingChange) -> list[FieldError]:
    errors = [FieldError(name, "must not be empty") for name in ("name", "category")
              if not getattr(change, name).strip()]
    errors += duration_errors(change.duration_minutes, "duration_minutes")
    errors += skill_errors([change.skill], "skill")
    return errors


async def list_offerings(session: AsyncSession, *, active_only: bool) -> list[Offering]:
    """The catalogue by category and code."""
    query = select(Offering).order_by(Offering.category, Offering.code)
    return list(await session.scalars(query.where(Offering.active) if active_only else query))


async def get_offering(session: AsyncSession, offering_id: uuid.UUID) -> Offering:
    """:raises NotFound: no such offering in this tenant."""
    offering = await session.scalar(select(Offering).where(Offering.id == offering_id))
    if offering is None:
        raise NotFound("no such offering")
    return offering


async def offering_by_code(session: AsyncSession, code: str, field: str = "offering") -> Offering:
    """The active offering named ``code``. :raises InvalidInput: none such (under ``field``)."""
    offering = await session.scalar(select(Offering).where(Offering.code == code, Offering.active))
    if offering is None:
        raise InvalidInput("unknown offering", [FieldError(field, f"no active offering has the code {code!r}")])
    return offering


async def add_offering(session: AsyncSession, code: str, change: OfferingChange) -> Offering:
    """A new catalogue entry. :raises InvalidInput: bad fields. :raises Conflict: the code is taken."""
    errors = [] if CODE.match(code) else [FieldError("code", "lower-case letters, digits and '_', 2 to 60, "
                                                             "starting with a letter")]
    if errors := errors + _change_errors(change):
        raise InvalidInput("invalid offering", errors)
    offering = Offering(code=code, name=change.name.strip(), category=change.category.strip(),
                        duration_minutes=change.duration_minutes, skill=change.skill,
                        warranty_needs_authorisation=change.warranty_needs_authorisation, active=change.active)
    try:
        async with session.begin_nested():
            session.add(offering)
            await session.flush()
    except IntegrityError:
        raise Conflict(f"the catalogue already has an offering {code!r}") from None
    return offering


async def edit_offering(session: AsyncSession, offering_id: uuid.UUID, change: OfferingChange) -> Offering:
    """Change an entry (a retired one stops being offered; prices and bookings keep naming it)."""
    offering = await get_offering(session, offering_id)
    if errors := _change_errors(change):
        raise InvalidInput("invalid offering", errors)
    offering.name, offering.category = change.name.strip(), change.category.strip()
    offering.duration_minutes, offering.skill = change.duration_minutes, change.skill
    offering.warranty_needs_authorisation, offering.active = change.warranty_needs_authorisation, change.active
    await session.flush()
    return offering


def _spec_errors(specs: list[OfferingSpec]) -> list[FieldError]:
    errors = []
    for spec in specs:
        change = OfferingChange(spec.name, spec.category, spec.duration_minutes, spec.skill)
        found = ([] if CODE.match(spec.code) else [FieldError("code", "not a valid code")]) + _change_errors(change)
        errors += [FieldError(f"catalogue.{spec.code}.{e.field}", e.reason) for e in found]
    return errors


async def seed_catalogue(session: AsyncSession, specs: Iterable[OfferingSpec]) -> list[Offering]:
    """Add the vertical's default offerings the tenant lacks (by code); returns the added ones. Idempotent.

    :raises InvalidInput: the vertical's catalogue breaks the catalogue's rules (a plugin bug, named by field).
    """
    specs = list(specs)
    if errors := _spec_errors(specs):
        raise InvalidInput("the vertical's default service catalogue is invalid", errors)
    have = set(await session.scalars(select(Offering.code)))
    added = []
    for spec in specs:
        if spec.code in have:
            continue
        have.add(spec.code)
        added.append(Offering(code=spec.code, name=spec.name, category=spec.category,
                              duration_minutes=spec.duration_minutes, skill=spec.skill,
                              warranty_needs_authorisation=spec.warranty_needs_authorisation))
    session.add_all(added)
    await session.flush()
    return added


async def seed_onboarded_catalogue(platform_session: AsyncSession, tenant_id: uuid.UUID,
                                   specs: Iterable[OfferingSpec]) -> list[Offering]:
    """Seed a tenant being onboarded, inside the onboarding's own transaction (so a refused manifest leaves no
    offerings behind): a session bound to the tenant joins the platform session's connection in a savepoint,
    with the tenant's row-level-security setting for the rest of that transaction."""
    connection = await platform_session.connection()
    async with AsyncSession(bind=connection, sync_session_class=TenantSession, info={TENANT_KEY: tenant_id},
                            join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
        added = await seed_catalogue(session, specs)
        await session.commit()
    return added
