"""A registered unit's installation: when it was installed or commissioned, and when the customer signed off
its installation training.

Both are facts of the sale the warranty rules see (``SaleInfo.installed_on``, ``SaleInfo.training_signed_off_on``),
so recording either decides the warranty again (:func:`~aftersales.warranty.registrations.coverage.redecide_coverage`):
a vertical whose warranty starts at commissioning starts it there, and the new terms are stored with their reasons.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import RegistrationStatus
from aftersales.warranty.registrations.coverage import redecide_coverage
from aftersales.warranty.registrations.services import RegisteredUnit, get_registration


def installation_date_errors(installed_on: date, purchased_on: date, today: date) -> list[FieldError]:
    """Why ``installed_on`` cannot be a unit's installation date: in the future, or before its purchase."""
    if installed_on > today:
        return [FieldError("installed_on", f"must not be in the future (today is {today.isoformat()})",
                           code="installation.in_future", params={"today": today.isoformat()})]
    if installed_on < purchased_on:
        return [FieldError("installed_on", f"must not be before the purchase ({purchased_on.isoformat()})",
                           code="installation.before_purchase", params={"purchased_on": purchased_on.isoformat()})]
    return []


async def record_installation(session: AsyncSession, tenant: CurrentTenant, registration_id: UUID, installed_on: date, *,
                              now: datetime) -> RegisteredUnit:
    """Record when the unit was installed and decide its warranty again.

    :raises NotFound: no such registration of the session's tenant. :raises Conflict: the registration ended.
    :raises InvalidInput: the date is in the future or before the purchase.
    """
    registered = await get_registration(session, registration_id)
    registration = registered.registration
    if registration.status != RegistrationStatus.ACTIVE:
        raise Conflict("this registration has ended; record the installation on the current owner's registration")
    errors = installation_date_errors(installed_on, registration.purchased_on, tenant.today())
    if errors:
        raise InvalidInput("the installation date cannot be recorded", errors)
    registration.installed_on = installed_on
    coverage = await redecide_coverage(session, tenant, registration, registered.model, cause="installed", now=now)
    return RegisteredUnit(registration, registered.unit, registered.model, coverage)


async def record_training_sign_off(session: AsyncSession, tenant: CurrentTenant, registration_id: UUID, signed_on: date, *,
                                   now: datetime) -> RegisteredUnit | None:
    """Note the tenant-local date the customer signed off the installation training and decide the warranty
    again; the first sign-off counts. Nothing changes for an ended registration (None)."""
    registered = await get_registration(session, registration_id)
    registration = registered.registration
    if registration.status != RegistrationStatus.ACTIVE or registration.training_signed_off_on is not None:
        return None
    registration.training_signed_off_on = signed_on
    coverage = await redecide_coverage(session, tenant, registration, registered.model, cause="training_signed_off",
                                       now=now)
    return RegisteredUnit(registration, registered.unit, registered.model, coverage)
