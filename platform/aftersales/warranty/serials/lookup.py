"""Finding a unit on the register from a serial as a person typed it.

The vertical normalises the serial (``aftersales_validate_serial``). Some verticals judge a serial by its
model's format (appliances), which a lookup does not name: then the plainly normalised serial is looked up and
judged by its own model before it is called invalid.

Two ways to find it, with the same rules: :func:`locate_unit` loads ORM objects in a tenant session, for
callers that change the unit or its registration; :func:`view_unit` reads one row of plain facts with SQLAlchemy
Core, for the lookups that only answer (the staff lookup, the public check) and run far more often.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Row, and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from aftersales.contract.numerals import ascii_digits
from aftersales.contract.values import ProductInfo, SerialCheck
from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.tenancy.current import CurrentTenant
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
"""Built once at import: every lookup only binds the serial (the tenant session adds the tenant)."""

_s, _m, _r, _c = Serial.__table__, ProductModel.__table__, Registration.__table__, Coverage.__table__
UNIT_FACTS = (
    select(_s.c.id, _s.c.serial, _s.c.status, _s.c.batch, _s.c.manufactured_on, _s.c.shipped_on, _s.c.seller,
           _s.c.card_code_hash, _s.c.hologram_code_hash, _s.c.clone_suspected_at, _s.c.status_reason,
           _m.c.sku, _m.c.name, _m.c.category, _m.c.volume_m3, _m.c.weight_kg, _m.c.warranty_months,
           _m.c.attributes, _r.c.id.label("registration_id"), _c.c.warranty_start, _c.c.warranty_end,
           _c.c.parts_support_end, _c.c.return_until, _c.c.exchange_until, _c.c.restarts_on_exchange,
           _c.c.exclusions, _c.c.reasons,
           _c.c["items"].label("coverage_items"), _c.c.cause, _c.c.created_at.label("coverage_computed_at"))
    .join(_m, and_(_m.c.tenant_id == _s.c.tenant_id, _m.c.id == _s.c.model_id))
    .outerjoin(_r, and_(_r.c.tenant_id == _s.c.tenant_id, _r.c.serial_id == _s.c.id,
                        _r.c.status == RegistrationStatus.ACTIVE.value))
    .outerjoin(_c, and_(_c.c.tenant_id == _r.c.tenant_id, _c.c.registration_id == _r.c.id,
                        _c.c.superseded_at.is_(None)))
    .where(_s.c.tenant_id == bindparam("tenant"), _s.c.serial == bindparam("serial"))
)
""":data:`UNIT_BY_SERIAL` as Core over the tables, the tenant named in the WHERE: one row of plain values,
without the ORM's per-statement tenant criterion and object loading (see :func:`view_unit`)."""


@dataclass(frozen=True)
class UnitView:
    """A unit as lookups show it: the vertical's verdict on the typed serial and, when the unit is on the
    register, one row of its facts (the columns of :data:`UNIT_FACTS`, coverage columns None without a
    current coverage)."""

    check: SerialCheck
    facts: Row[Any] | None = None


async def unit_by_serial(session: AsyncSession, serial: str) -> tuple[Serial, ProductModel, UUID | None,
                                                                      Coverage | None] | None:
    """The unit with this exact (normalised) serial in the session's tenant, with its model, its active
    registration and that registration's current coverage: one indexed query."""
    row = (await session.execute(UNIT_BY_SERIAL, {"serial": serial})).first()
    return (row[0], row[1], row[2], row[3]) if row is not None else None


Found = TypeVar("Found")


async def _normalise_and_find(
    tenant: CurrentTenant, serial: str, find: Callable[[str], Awaitable[Found | None]],
    own_format: Callable[[Found], tuple[str, ProductInfo]],
) -> tuple[SerialCheck, Found | None]:
    """The vertical's verdict on ``serial`` and what ``find`` finds for it; ``own_format`` gives a candidate's
    stored serial and model, for a serial only its model's format accepts."""
    hooks, context = tenant.hooks, tenant.context
    check = hooks.aftersales_validate_serial(tenant=context, serial=serial, product=None)
    if check.valid:
        return check, await find(check.normalized)
    candidate = await find(ascii_digits(serial).strip().upper())
    if candidate is not None:
        stored, product = own_format(candidate)
        by_model = hooks.aftersales_validate_serial(tenant=context, serial=serial, product=product)
        if by_model.valid and by_model.normalized == stored:  # the unit's own format
            return by_model, candidate
    return check, None


async def locate_unit(session: AsyncSession, tenant: CurrentTenant, serial: str) -> Located:
    """Normalise ``serial`` by the tenant's vertical and find its unit (ORM objects, for callers that change it)."""
    check, found = await _normalise_and_find(tenant, serial, lambda s: unit_by_serial(session, s),
                                             lambda f: (f[0].serial, product_info(f[1])))
    return Located(check, *found) if found is not None else Located(check)


async def view_unit(connection: AsyncConnection, tenant: CurrentTenant, serial: str) -> UnitView:
    """Normalise ``serial`` by the tenant's vertical and read its unit's facts with one Core query.

    ``connection`` is a tenant's (``Database.reading``, or a tenant session's own connection): the query names
    the tenant itself, and on PostgreSQL row-level security checks it again.
    """
    tenant_id = tenant.record.id

    async def find(normalised: str) -> Row[Any] | None:
        return (await connection.execute(UNIT_FACTS, {"tenant": tenant_id, "serial": normalised})).first()

    check, facts = await _normalise_and_find(tenant, serial, find, lambda f: (f.serial, product_info(f)))
    return UnitView(check, facts)


def _refuse_missing(check: SerialCheck, found: bool) -> None:
    if not check.valid:
        raise InvalidInput("invalid serial", [FieldError("serial", check.reason or "not a valid serial")])
    if not found:
        raise NotFound(f"no unit with serial {check.normalized} is on the register")


async def require_unit(session: AsyncSession, tenant: CurrentTenant, serial: str) -> Located:
    """:func:`locate_unit` for callers that act on the unit.

    :raises InvalidInput: the vertical refuses the serial. :raises NotFound: no unit has it.
    """
    located = await locate_unit(session, tenant, serial)
    _refuse_missing(located.check, located.unit is not None)
    return located


async def require_unit_view(connection: AsyncConnection, tenant: CurrentTenant, serial: str) -> Row[Any]:
    """The facts of :func:`view_unit`. :raises InvalidInput: the vertical refuses the serial.
    :raises NotFound: no unit has it."""
    view = await view_unit(connection, tenant, serial)
    _refuse_missing(view.check, view.facts is not None)
    assert view.facts is not None
    return view.facts
