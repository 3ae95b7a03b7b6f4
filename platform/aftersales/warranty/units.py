"""Finding a unit on the register from a serial as a person typed it.

The vertical normalises the serial (``aftersales_validate_serial``). Some verticals judge a serial by its
model's format (appliances), which a lookup does not name: then the plainly normalised serial is looked up and
judged by its own model before it is called invalid.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.numerals import ascii_digits
from aftersales.tenancy.services import CurrentTenant
from aftersales.values import SerialCheck
from aftersales.warranty.catalog import product_info
from aftersales.warranty.models import Coverage, ProductModel, Registration, RegistrationStatus, Serial


@dataclass(frozen=True)
class Located:
    """The vertical's verdict on a typed serial and, when it is on the register, the unit and its model."""

    check: SerialCheck
    unit: Serial | None = None
    model: ProductModel | None = None
    registration_id: UUID | None = None
    """The unit's active registration, if it has an owner."""
    coverage: Coverage | None = None
    """That registration's current coverage."""


UNIT_BY_SERIAL = (
    select(Serial, ProductModel, Registration.id, Coverage)
    .join(ProductModel, and_(ProductModel.tenant_id == Serial.tenant_id, ProductModel.id == Serial.model_id))
    .outerjoin(Registration, and_(Registration.tenant_id == Serial.tenant_id,
                                  Registration.serial_id == Serial.id,
                                  Registration.status == RegistrationStatus.ACTIVE.value))
    .outerjoin(Coverage, and_(Coverage.tenant_id == Registration.tenant_id,
                              Coverage.registration_id == Registration.id,
                              Coverage.superseded_at.is_(None)))
    .where(Serial.serial == bindparam("serial"))
)
"""Built once at import: every lookup, the hot path, only binds the serial."""


async def unit_by_serial(session: AsyncSession, serial: str) -> tuple[Serial, ProductModel, UUID | None,
                                                                      Coverage | None] | None:
    """The unit with this exact (normalised) serial in the session's tenant, with its model, its active
    registration and that registration's current coverage: one indexed query, the hot path of every lookup."""
    row = (await session.execute(UNIT_BY_SERIAL, {"serial": serial})).first()
    return (row[0], row[1], row[2], row[3]) if row is not None else None


async def locate_unit(session: AsyncSession, tenant: CurrentTenant, serial: str) -> Located:
    """Normalise ``serial`` by the tenant's vertical and find its unit."""
    hooks, context = tenant.hooks, tenant.context
    check = hooks.aftersales_validate_serial(tenant=context, serial=serial, product=None)
    if check.valid:
        found = await unit_by_serial(session, check.normalized)
        return Located(check, *found) if found else Located(check)
    candidate = await unit_by_serial(session, ascii_digits(serial).strip().upper())
    if candidate is not None:
        by_model = hooks.aftersales_validate_serial(tenant=context, serial=serial, product=product_info(candidate[1]))
        if by_model.valid and by_model.normalized == candidate[0].serial:  # the unit's own format
            return Located(by_model, *candidate)
    return Located(check)


async def require_unit(session: AsyncSession, tenant: CurrentTenant, serial: str) -> Located:
    """:func:`locate_unit` for callers that act on the unit.

    :raises InvalidInput: the vertical refuses the serial. :raises NotFound: no unit has it.
    """
    located = await locate_unit(session, tenant, serial)
    if not located.check.valid:
        raise InvalidInput("invalid serial", [FieldError("serial", located.check.reason or "not a valid serial")])
    if located.unit is None:
        raise NotFound(f"no unit with serial {located.check.normalized} is on the register")
    return located
