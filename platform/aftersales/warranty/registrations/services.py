"""Purchase registrations: who owns a unit, what they paid, and the ownership history.

A customer (or an agent for them) registers a purchase against a serial on the register. One registration of
a serial is active at a time; a transfer ends it and starts the next owner's, carrying the warranty on. Every
registration gets its coverage from the vertical at once (:mod:`aftersales.warranty.registrations.coverage`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.date_windows import EARLIEST_PURCHASE, window_problems
from aftersales.identity.customers import CustomerDetails, find_or_create_customer, validate_customer
from aftersales.outbox.events import RegistrationCreated, RegistrationTransferred
from aftersales.outbox.webhooks import emit
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import (
    Coverage,
    ProductModel,
    Registration,
    RegistrationStatus,
    Serial,
    SerialStatus,
)
from aftersales.warranty.registrations.coverage import carry_coverage, current_coverage, record_coverage
from aftersales.warranty.serials.lookup import locate_unit

MAX_INVOICE_NUMBER = 80
MAX_SELLER = 200
REGISTRABLE = (SerialStatus.IN_STOCK, SerialStatus.SOLD)


@dataclass(frozen=True)
class PurchaseDetails:
    """A purchase as typed by a customer or agent; :func:`register_purchase` validates all of it at once."""

    serial: str
    purchased_on: date
    owner: CustomerDetails
    invoice_number: str = ""
    price: str | None = None
    """A decimal amount in the tenant's currency, e.g. ``"12500000"`` rial or ``"99.50"`` yuan."""
    seller: str = ""


@dataclass(frozen=True)
class RegisteredUnit:
    """A registration with what a caller shows alongside it."""

    registration: Registration
    unit: Serial
    model: ProductModel
    coverage: Coverage | None


async def register_purchase(session: AsyncSession, tenant: CurrentTenant, purchase: PurchaseDetails, *,
                            registered_by: str, now: datetime) -> RegisteredUnit:
    """Register a purchase and compute its coverage.

    :raises InvalidInput: every bad field at once; nothing is written.
    :raises Conflict: the unit already has an owner, or is blocked, recalled or replaced.
    """
    today = tenant.today()
    errors: list[FieldError] = []
    located = await locate_unit(session, tenant, purchase.serial)
    if not located.check.valid:
        errors.append(FieldError("serial", located.check.reason or "not a valid serial",
                                 code="registration.invalid_serial"))
    elif located.unit is None:
        errors.append(FieldError("serial", "no unit with this serial is on the company's register",
                                 code="registration.unknown_serial"))
    owner, owner_errors = validate_customer(purchase.owner, tenant.context.country, "owner")
    errors += owner_errors
    typed_price = purchase.price if purchase.price and purchase.price.strip() else None  # blank: not given
    price = parse_amount(typed_price, tenant.context.currency, "price", errors)
    _check_purchase_date(purchase.purchased_on, today, located.unit, errors)
    invoice, seller = purchase.invoice_number.strip(), purchase.seller.strip()
    if len(invoice) > MAX_INVOICE_NUMBER:
        errors.append(FieldError("invoice_number", f"must be at most {MAX_INVOICE_NUMBER} characters",
                                 code="registration.too_long", params={"limit": MAX_INVOICE_NUMBER}))
    if len(seller) > MAX_SELLER:
        errors.append(FieldError("seller", f"must be at most {MAX_SELLER} characters",
                                 code="registration.too_long", params={"limit": MAX_SELLER}))
    if errors:
        raise InvalidInput("the purchase cannot be registered", errors)
    unit, model = located.unit, located.model
    assert unit is not None and model is not None  # no serial error means the unit was found
    if unit.status not in REGISTRABLE:
        if unit.status == SerialStatus.REGISTERED:
            raise Conflict(f"{unit.serial} is already registered to an owner; transfer it to register a new owner")
        raise Conflict(f"{unit.serial} is {unit.status} and cannot be registered")

    customer = await find_or_create_customer(session, owner)
    registration = Registration(
        serial_id=unit.id, customer_id=customer.id, purchased_on=purchase.purchased_on, invoice_number=invoice,
        price_minor=price.amount_minor if price else None, currency=tenant.context.currency,
        seller=seller or unit.seller, owned_from=purchase.purchased_on, registered_by=registered_by,
    )
    session.add(registration)
    unit.status = SerialStatus.REGISTERED
    await session.flush()
    coverage = await record_coverage(session, tenant, registration, model, cause="registered", now=now)
    await emit(session, RegistrationCreated(
        registration_id=registration.id, serial_id=unit.id, serial=unit.serial, model_sku=model.sku,
        customer_id=customer.id, purchased_on=registration.purchased_on,
        coverage_ends_on=coverage.warranty_end if coverage else None, registered_at=now,
    ), key=registration.id, now=now)
    return RegisteredUnit(registration, unit, model, coverage)


async def transfer_ownership(session: AsyncSession, tenant: CurrentTenant, registration_id: UUID,
                             new_owner: CustomerDetails, transferred_on: date, *, registered_by: str) -> RegisteredUnit:
    """End the active registration and register the unit to ``new_owner`` from ``transferred_on``.

    The sale facts (date, invoice, price, installation) and the warranty carry over: the warranty runs from
    the sale.

    :raises InvalidInput: a bad owner or date; :raises Conflict: the registration is no longer active.
    """
    current = await get_registration(session, registration_id)
    if current.registration.status != RegistrationStatus.ACTIVE:
        raise Conflict("this registration has ended; transfer the unit from its current owner's registration")
    owner, errors = validate_customer(new_owner, tenant.context.country, "new_owner")
    if transferred_on > tenant.today():
        errors.append(FieldError("transferred_on", "must not be in the future"))
    elif transferred_on < current.registration.owned_from:
        errors.append(FieldError("transferred_on", "must not be before the current owner's registration "
                                                   f"({current.registration.owned_from.isoformat()})"))
    if errors:
        raise InvalidInput("the ownership cannot be transferred", errors)
    customer = await find_or_create_customer(session, owner)
    old = current.registration
    if customer.id == old.customer_id:
        raise InvalidInput("the ownership cannot be transferred",
                           [FieldError("new_owner", "is already the owner of this unit")])
    old.status = RegistrationStatus.TRANSFERRED
    old.ended_on = transferred_on
    await session.flush()  # before the insert: one active registration per serial (a unique index)
    successor = Registration(
        serial_id=old.serial_id, customer_id=customer.id, purchased_on=old.purchased_on,
        invoice_number=old.invoice_number, price_minor=old.price_minor, currency=old.currency, seller=old.seller,
        owned_from=transferred_on, previous_id=old.id, registered_by=registered_by,
        installed_on=old.installed_on, training_signed_off_on=old.training_signed_off_on,
    )
    session.add(successor)
    await session.flush()
    coverage = None
    if current.coverage is not None:
        coverage = await carry_coverage(session, current.coverage, successor,
                                        reason=f"handed on to a new owner on {transferred_on.isoformat()}")
    await emit(session, RegistrationTransferred(
        registration_id=successor.id, previous_registration_id=old.id, serial_id=old.serial_id,
        customer_id=customer.id, transferred_on=transferred_on,
    ), key=successor.id, now=successor.created_at)
    return RegisteredUnit(successor, current.unit, current.model, coverage)


async def get_registration(session: AsyncSession, registration_id: UUID) -> RegisteredUnit:
    """:raises NotFound: when the session's tenant has no such registration."""
    row = (await session.execute(
        select(Registration, Serial, ProductModel)
        .join(Serial, (Serial.tenant_id == Registration.tenant_id) & (Serial.id == Registration.serial_id))
        .join(ProductModel, (ProductModel.tenant_id == Serial.tenant_id) & (ProductModel.id == Serial.model_id))
        .where(Registration.id == registration_id)
    )).first()
    if row is None:
        raise NotFound("no such registration")
    registration, unit, model = row
    return RegisteredUnit(registration, unit, model, await current_coverage(session, registration))


async def units_of_customer(session: AsyncSession, customer_id: UUID) -> list[RegisteredUnit]:
    """The customer's registered units (their active registrations), newest purchase first."""
    rows = (await session.execute(
        select(Registration, Serial, ProductModel)
        .join(Serial, (Serial.tenant_id == Registration.tenant_id) & (Serial.id == Registration.serial_id))
        .join(ProductModel, (ProductModel.tenant_id == Serial.tenant_id) & (ProductModel.id == Serial.model_id))
        .where(Registration.customer_id == customer_id, Registration.status == RegistrationStatus.ACTIVE)
        .order_by(Registration.purchased_on.desc(), Registration.id)
    )).all()
    return [RegisteredUnit(registration, unit, model, await current_coverage(session, registration))
            for registration, unit, model in rows]


async def model_and_serial(session: AsyncSession, registration_id: UUID) -> tuple[str, str] | None:
    """The model name and serial number of the registered unit (a request's device line), or None."""
    row = (await session.execute(
        select(ProductModel.name, Serial.serial).select_from(Registration)
        .join(Serial, and_(Serial.tenant_id == Registration.tenant_id, Serial.id == Registration.serial_id))
        .join(ProductModel, and_(ProductModel.tenant_id == Serial.tenant_id, ProductModel.id == Serial.model_id))
        .where(Registration.id == registration_id))).first()
    return None if row is None else (row[0], row[1])


async def ownership_history(session: AsyncSession, unit: Serial) -> list[Registration]:
    """Every registration of ``unit``, oldest first (an exchanged-in unit starts with the moved registration)."""
    return list(await session.scalars(
        select(Registration).where(Registration.serial_id == unit.id)
        .order_by(Registration.owned_from, Registration.created_at)
    ))


async def active_registration(session: AsyncSession, unit: Serial) -> Registration | None:
    return await session.scalar(select(Registration).where(
        Registration.serial_id == unit.id, Registration.status == RegistrationStatus.ACTIVE))


def parse_amount(text: str | None, currency: str, field: str, errors: list[FieldError], *,
                 zero_allowed: bool = True) -> Money | None:
    """An amount typed in the tenant's currency, or None when not given; a bad one is added to ``errors``."""
    if text is None:
        return None
    try:
        amount = Money.parse(text, currency)
    except ValueError as exc:
        errors.append(FieldError(field, str(exc)))
        return None
    if amount.amount_minor < 0 or (amount.amount_minor == 0 and not zero_allowed):
        errors.append(FieldError(field, "must not be negative" if zero_allowed else "must be greater than 0"))
        return None
    return amount


def _check_purchase_date(purchased_on: date, today: date, unit: Serial | None, errors: list[FieldError]) -> None:
    if purchased_on > today:
        errors.append(FieldError("purchased_on", f"must not be in the future (today is {today.isoformat()})",
                                 code="registration.purchase_in_future", params={"today": today.isoformat()}))
    elif purchased_on < EARLIEST_PURCHASE:
        errors += window_problems(purchased_on, "purchased_on", EARLIEST_PURCHASE, today)
    elif unit is not None and unit.manufactured_on is not None and purchased_on < unit.manufactured_on:
        errors.append(FieldError("purchased_on", "is before the unit was manufactured "
                                                 f"({unit.manufactured_on.isoformat()})",
                                 code="registration.before_manufacture",
                                 params={"manufactured_on": unit.manufactured_on.isoformat()}))
