"""A tenant's end customers, found or created by phone number or e-mail when an agent acts for them.

Phone numbers are parsed with ``phonenumbers`` in the tenant's country (a local ``0912 …`` works) and stored in
E.164, so the same person typed two ways is one customer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import ColumnElement, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.session import bound_tenant
from aftersales.errors import FieldError, TenantNotBound
from aftersales.identity.models import Customer

MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class CustomerDetails:
    """Who a customer is, as an agent or a form gives it: a name and a phone number or an e-mail (or both)."""

    name: str
    phone: str | None = None
    email: str | None = None


def validate_customer(details: CustomerDetails, country: str, prefix: str) -> tuple[CustomerDetails, list[FieldError]]:
    """The details normalised (phone in E.164, e-mail lower-cased), and every field error under ``prefix``."""
    errors: list[FieldError] = []
    name = details.name.strip()
    if not name:
        errors.append(FieldError(f"{prefix}.name", "must not be empty"))
    elif len(name) > MAX_NAME_LENGTH:
        errors.append(FieldError(f"{prefix}.name", f"must be at most {MAX_NAME_LENGTH} characters"))
    phone, email = normalise_contacts(details.phone, details.email, country, f"{prefix}.", errors)
    if not details.phone and not details.email:
        errors.append(FieldError(f"{prefix}.phone", "a phone number or an e-mail address is needed"))
    return CustomerDetails(name=name, phone=phone, email=email), errors


def normalise_contacts(phone: str | None, email: str | None, country: str, prefix: str,
                       errors: list[FieldError]) -> tuple[str | None, str | None]:
    """A phone number in E.164 (read in ``country`` when typed without one) and a lower-cased e-mail address,
    as customers are stored and found; a bad one is added to ``errors`` under ``prefix`` and comes back None."""
    normal_phone = _normalise_phone(phone, country, f"{prefix}phone", errors) if phone else None
    normal_email = None
    if email:
        try:
            normal_email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
        except EmailNotValidError as exc:
            errors.append(FieldError(f"{prefix}email", str(exc)))
    return normal_phone, normal_email


def _normalise_phone(value: str, country: str, field: str, errors: list[FieldError]) -> str | None:
    try:
        number = phonenumbers.parse(value, country)
    except phonenumbers.NumberParseException as exc:
        errors.append(FieldError(field, f"not a phone number: {exc}"))
        return None
    if not phonenumbers.is_valid_number(number):
        errors.append(FieldError(field, f"not a valid phone number in {country} or in international form"))
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


async def find_or_create_customer(session: AsyncSession, details: CustomerDetails) -> Customer:
    """The customer with this phone number or e-mail, else a new one. Validated details only
    (:func:`validate_customer`); a found customer keeps its stored name."""
    customer = await session.scalar(select(Customer).where(_same_contact(details))
                                    .order_by(Customer.created_at).limit(1))
    return customer if customer is not None else await _create(session, details)


async def find_or_create_customer_id(session: AsyncSession, details: CustomerDetails) -> uuid.UUID:
    """The id of :func:`find_or_create_customer`'s customer, for a caller that needs no more of it (opening a
    request): one column read as Core on the session's connection, the session's tenant named in the WHERE
    (no ORM tenant criterion or object loading; row-level security still holds on PostgreSQL)."""
    tenant_id = bound_tenant(session)
    if tenant_id is None:
        raise TenantNotBound("customers are found in a session bound to a tenant")
    connection = await session.connection()
    statement = _CUSTOMER_ID_BY_CONTACT[details.phone is not None, details.email is not None]
    found = await connection.scalar(statement, {"tenant": tenant_id, "phone": details.phone, "email": details.email})
    return found if found is not None else (await _create(session, details)).id


async def _create(session: AsyncSession, details: CustomerDetails) -> Customer:
    customer = Customer(name=details.name, phone=details.phone, email=details.email)
    session.add(customer)
    await session.flush()
    return customer


_CUSTOMER_ID_BY_CONTACT = {
    (phone, email): select(Customer.id).where(Customer.tenant_id == bindparam("tenant"), or_(
        *([Customer.phone == bindparam("phone")] if phone else []),
        *([Customer.email == bindparam("email")] if email else []))).order_by(Customer.created_at).limit(1)
    for phone in (True, False) for email in (True, False) if phone or email
}
"""The oldest customer of ``:tenant`` with the phone and/or e-mail given, built once per combination."""


def _same_contact(details: CustomerDetails) -> ColumnElement[bool]:
    matches = [Customer.phone == details.phone] if details.phone else []
    matches += [Customer.email == details.email] if details.email else []
    return or_(*matches)


async def customer_by_id(session: AsyncSession, customer_id: uuid.UUID) -> Customer | None:
    """The customer of the session's tenant with this id, or None."""
    return await session.scalar(select(Customer).where(Customer.id == customer_id))


async def customer_names(session: AsyncSession, customer_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names of these customers, by id (an id of no customer is left out)."""
    if not customer_ids:
        return {}
    return dict((await session.execute(select(Customer.id, Customer.name).where(Customer.id.in_(customer_ids))))
                .all())


async def search_customers(session: AsyncSession, text: str, country: str, *, limit: int) -> list[Customer]:
    """At most ``limit`` customers, newest first, matching ``text`` (all when it is empty): the exact phone or
    e-mail when ``text`` reads as one (a phone in the ``country``'s local form too), else part of the name."""
    query = select(Customer).order_by(Customer.created_at.desc(), Customer.id.desc()).limit(limit)
    if text:
        query = query.where(_matching(text, country))
    return list(await session.scalars(query))


def _matching(text: str, country: str) -> ColumnElement[bool]:
    errors: list[FieldError] = []
    if "@" in text:
        email = normalise_contacts(None, text, country, "", errors)[1]
        return Customer.email == email if email else Customer.email == text.lower()
    if sum(c.isdigit() for c in text) >= 6:
        phone = normalise_contacts(text, None, country, "", errors)[0]
        if phone:
            return or_(Customer.phone == phone, Customer.phone.contains(text.strip(), autoescape=True))
    return func.lower(Customer.name).contains(text.strip().lower(), autoescape=True)
