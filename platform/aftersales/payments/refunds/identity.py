"""What a customer proves before money is sent to them: their national ID (verified by staff) and the IBAN
(Sheba) refunds go to, with the national ID the bank confirms owns it.

Validation:

* Iranian national code (کد ملی): 10 digits, the last a mod-11 check digit. python-stdnum has no module for it
  (``stdnum.ir`` does not exist), so the check is written here. The algorithm (as published by the National
  Organization for Civil Registration, and used e.g. by the persian-tools libraries): s = Σ dᵢ·(10−i) for the
  first nine digits (i = 0…8), r = s mod 11; the check digit is r when r < 2, else 11 − r. Ten identical
  digits pass the arithmetic but are never issued, so they are refused.
* IBAN: ``stdnum.iban`` cleans it and computes the ISO 7064 mod 97-10 checksum; Iran is not in the SWIFT IBAN
  registry stdnum ships (so ``iban.validate`` refuses every IR number), hence the structure of an Iranian
  IBAN (``IR`` + 24 digits, 26 characters) is checked here and the checksum by ``stdnum.iso7064.mod_97_10``.

Persian and Arabic-Indic digits are read as ASCII (:func:`aftersales.contract.numerals.ascii_digits`).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_97_10

from aftersales.contract.numerals import ascii_digits
from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.identity.models import Customer
from aftersales.payments.refunds.models import CustomerIdentity

_IRANIAN_IBAN = re.compile(r"^IR[0-9]{24}$")


def national_id_problem(code: str) -> str | None:
    """Why ``code`` is not an Iranian national code, or None."""
    if not re.fullmatch(r"[0-9]{10}", code):
        return "must be 10 digits"
    if len(set(code)) == 1:
        return "is not an issued national code (ten identical digits)"
    digits = [int(c) for c in code]
    remainder = sum(d * (10 - i) for i, d in enumerate(digits[:9])) % 11
    expected = remainder if remainder < 2 else 11 - remainder
    return None if digits[9] == expected else "the check digit does not match"


def national_id_is_valid(code: str | None) -> bool:
    """``code`` is a well-formed Iranian national code."""
    return code is not None and national_id_problem(code) is None


def normalise_national_id(text: str) -> str:
    """Digits as typed (Persian allowed), without spaces or dashes."""
    return re.sub(r"[\s-]", "", ascii_digits(text))


def normalise_iban(text: str) -> tuple[str, str | None]:
    """The compact IBAN and why it is invalid (None when valid)."""
    number = stdnum_iban.compact(ascii_digits(text))
    if number.startswith("IR"):
        if not _IRANIAN_IBAN.match(number):
            return number, "an Iranian IBAN (Sheba) is IR followed by 24 digits"
        if not mod_97_10.is_valid(number[4:] + number[:4]):
            return number, "the IBAN's check digits do not match"
        return number, None
    try:
        return stdnum_iban.validate(number), None
    except ValidationError as exc:
        return number, f"not a valid IBAN ({exc.message.rstrip('.').lower()})"


async def identity_of(session: AsyncSession, customer_id: uuid.UUID) -> CustomerIdentity | None:
    """The customer's identity record, if any was made."""
    return await session.scalar(select(CustomerIdentity).where(CustomerIdentity.customer_id == customer_id))


async def identities_of(session: AsyncSession,
                        customer_ids: set[uuid.UUID]) -> dict[uuid.UUID, CustomerIdentity]:
    """The recorded identities of these customers, by customer (a customer with none is left out)."""
    if not customer_ids:
        return {}
    found = await session.scalars(select(CustomerIdentity).where(CustomerIdentity.customer_id.in_(customer_ids)))
    return {i.customer_id: i for i in found}


async def _identity_for_update(session: AsyncSession, customer_id: uuid.UUID) -> CustomerIdentity:
    if await session.scalar(select(Customer.id).where(Customer.id == customer_id)) is None:
        raise NotFound("no such customer")
    record = await identity_of(session, customer_id)
    if record is None:
        record = CustomerIdentity(customer_id=customer_id)
        session.add(record)
    return record


async def record_by_staff(session: AsyncSession, customer_id: uuid.UUID, *, actor: str, now: datetime,
                          national_id: str | None = None, identity_verified: bool | None = None,
                          iban: str | None = None, iban_owner_national_id: str | None = None) -> CustomerIdentity:
    """Staff record what they checked: the national ID, that they verified the identity, the IBAN, and whose the
    bank confirms the IBAN is. Fields left None stay as they are; every invalid field is reported at once.

    :raises InvalidInput: a bad national ID or IBAN, or verifying an identity with no valid national ID.
    """
    errors: list[FieldError] = []
    if national_id is not None:
        national_id = normalise_national_id(national_id)
        if (problem := national_id_problem(national_id)) is not None:
            errors.append(FieldError("national_id", problem))
    if iban_owner_national_id is not None:
        iban_owner_national_id = normalise_national_id(iban_owner_national_id)
        if (problem := national_id_problem(iban_owner_national_id)) is not None:
            errors.append(FieldError("iban_owner_national_id", problem))
    iban_problem = None
    if iban is not None:
        iban, iban_problem = normalise_iban(iban)
        if iban_problem:
            errors.append(FieldError("iban", iban_problem))
    record = await _identity_for_update(session, customer_id)
    known_id = national_id if national_id is not None else record.national_id
    if identity_verified and not errors and not national_id_is_valid(known_id):
        errors.append(FieldError("identity_verified", "record a valid national ID before verifying the identity"))
    if iban_owner_national_id is not None and iban is None and record.iban is None and not errors:
        errors.append(FieldError("iban_owner_national_id", "the customer has no IBAN on file"))
    if errors:
        raise InvalidInput("the customer's identity cannot be recorded", errors)
    if national_id is not None and national_id != record.national_id:
        record.national_id, record.identity_verified_by, record.identity_verified_at = national_id, None, None
    if identity_verified is not None:
        record.identity_verified_by, record.identity_verified_at = (actor, now) if identity_verified else (None, None)
    if iban is not None:
        _set_iban(record, iban, actor)
    if iban_owner_national_id is not None:
        record.iban_owner_national_id, record.iban_owner_confirmed_by = iban_owner_national_id, actor
    record.updated_at = now
    await session.flush()
    return record


async def record_iban_by_customer(session: AsyncSession, customer_id: uuid.UUID, iban: str, *, actor: str,
                                  now: datetime) -> CustomerIdentity:
    """A customer puts their own IBAN on file; whose it is waits for staff to confirm with the bank.

    :raises InvalidInput: not a valid IBAN.
    """
    number, problem = normalise_iban(iban)
    if problem:
        raise InvalidInput("the IBAN is invalid", [FieldError("iban", problem)])
    record = await _identity_for_update(session, customer_id)
    _set_iban(record, number, actor)
    record.updated_at = now
    await session.flush()
    return record


def _set_iban(record: CustomerIdentity, number: str, actor: str) -> None:
    if number != record.iban:
        record.iban_owner_national_id, record.iban_owner_confirmed_by = None, None
    record.iban, record.iban_recorded_by = number, actor


def identity_verified(record: CustomerIdentity | None) -> bool:
    """Staff verified the identity, and the national ID passes its check digit."""
    return record is not None and record.identity_verified_at is not None and national_id_is_valid(record.national_id)


def iban_owner_matches(record: CustomerIdentity | None) -> bool:
    """The bank confirmed the IBAN on file belongs to the customer's own national ID."""
    return (record is not None and record.iban is not None and record.national_id is not None
            and record.iban_owner_national_id == record.national_id)
