"""One-time sign-in codes for customers: asked for with an e-mail address or mobile number, sent through the
outbox (e-mail or SMS), typed back on the portal.

The rules, and why these numbers:

* **Six digits, valid for :data:`CODE_LIFETIME` (10 minutes)**: long enough to switch to the mail app and back on a
  slow phone, short enough that a code read over a shoulder is soon useless.
* **:data:`MAX_WRONG_CODES` (5) wrong tries end a code**: with a million possible codes, five guesses per code
  give a guesser one chance in 200,000 per code sent.
* **At most :data:`SENDS_PER_ADDRESS` (5) codes an hour to one address**: a customer whose mail is slow asks two
  or three times; more is someone flooding that person's phone (and the tenant's SMS bill).
* **At most :data:`SENDS_PER_CLIENT` (20) codes an hour from one client address**: a family or a shop behind one
  router signs several people in; a script trying many addresses (or pumping paid SMS) is stopped after 20.
  Together with the per-code tries this bounds guessing to 100 guesses an hour per client (and typing codes
  back counts as sign-in attempts too: :mod:`aftersales.accounts.sign_in_limits`).
* Both limits are counters counted and decided in one statement (:mod:`aftersales.identity.rate_limits`), so
  simultaneous requests cannot slip past them; the hour starts at the first code after the previous hour ended.

Codes are stored as ``HMAC-SHA256(code key, tenant, row id, code)``, never as typed: without the server's key a
leaked table does not give the codes back (a plain hash of six digits would be reversed in a millisecond; a
password hash would only make each sign-in slow). Addresses and clients are stored as keyed hashes too.

An address that is no customer's is answered exactly like a customer's (same page, same limits, a row with a
code no one knows) and nothing is sent: the sign-in page does not tell who is a customer. Signing in creates no
customer: customers come from registrations, requests and purchases, where their details are taken properly.
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.numerals import ascii_digits
from aftersales.db.base import new_id
from aftersales.db.session import bound_tenant
from aftersales.errors import FieldError, InvalidInput, TenantNotBound
from aftersales.identity import rate_limits
from aftersales.identity.customers import normalise_contacts
from aftersales.identity.models import Customer, SignInCode
from aftersales.identity.rate_limits import Limit
from aftersales.keys import keyed_hash
from aftersales.outbox.messages import Message, enqueue

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
MAX_WRONG_CODES = 5
SENDS_PER_ADDRESS = 5
SENDS_PER_CLIENT = 20
WINDOW = timedelta(hours=1)
MAX_CONTACT_LENGTH = 254
_REFUSAL = f"at most {SENDS_PER_ADDRESS} codes an hour to one address and {SENDS_PER_CLIENT} from one client"
ADDRESS_LIMIT = Limit("code:address", SENDS_PER_ADDRESS, WINDOW, _REFUSAL)
CLIENT_LIMIT = Limit("code:client", SENDS_PER_CLIENT, WINDOW, _REFUSAL)


@dataclass(frozen=True)
class Contact:
    """Where a code goes: ``email`` or ``sms``, and the address as customers are stored (lower-cased e-mail or
    E.164 number)."""

    channel: str
    address: str


@dataclass(frozen=True)
class Text:
    """A code's message in the customer's language (the subject is used for e-mail only)."""

    subject: str
    body: str


Compose = Callable[[Customer, str], Text]
"""``compose(customer, code)``: the message that carries ``code`` to ``customer``, in their language."""


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of typing a code: the customer signed in, or why not (``wrong`` with the tries left, or
    ``ended`` by this fifth wrong try, or ``expired``: too old, used, ended before, or never issued here)."""

    customer_id: uuid.UUID | None
    refusal: str | None = None
    tries_left: int = 0


def parse_contact(text: str, country: str) -> Contact:
    """An e-mail address (anything with ``@``) or a mobile number read in the tenant's ``country``.

    :raises InvalidInput: on field ``contact`` when it is neither.
    """
    text = ascii_digits(text.strip())
    if not text:
        raise InvalidInput("no contact", [FieldError("contact", "empty", code="contact.empty")])
    if len(text) > MAX_CONTACT_LENGTH:
        raise InvalidInput("contact too long", [FieldError("contact", "too long", code="contact.too_long",
                                                           params={"limit": MAX_CONTACT_LENGTH})])
    errors: list[FieldError] = []
    email = "@" in text
    phone, address = normalise_contacts(None if email else text, text if email else None, country, "", errors)
    if errors:
        raise InvalidInput("not an e-mail address or phone number",
                           [FieldError("contact", "email" if email else "phone",
                                       code="contact.invalid_email" if email else "contact.invalid_phone")])
    return Contact("email", address) if email else Contact("sms", phone)  # type: ignore[arg-type]


def _code_hash(code_key: bytes, tenant_id: uuid.UUID, code_id: uuid.UUID, code: str) -> str:
    return keyed_hash(code_key, "sign-in code", tenant_id, code_id, code)


def new_code() -> str:
    """Six random digits."""
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


async def request_code(session: AsyncSession, *, code_key: bytes, contact: Contact, client_address: str,
                       compose: Compose, now: datetime) -> uuid.UUID:
    """Issue a code for ``contact`` and queue it to the customer with that address, if there is one.

    :return: the id the code is typed back against (issued whether or not the address is a customer's).
    :raises RateLimited: too many codes for this address or from this client in the last hour; nothing is
        written then.
    """
    tenant_id = bound_tenant(session)
    if tenant_id is None:
        raise TenantNotBound("sign-in codes are issued in a session bound to a tenant")
    address_key = keyed_hash(code_key, "sign-in address", contact.address)
    client_key = keyed_hash(code_key, "sign-in client", client_address)
    await _enforce_limits(session, address_key, client_key, now)
    by_contact = Customer.email if contact.channel == "email" else Customer.phone
    customer = await session.scalar(select(Customer).where(by_contact == contact.address))
    code, code_id = new_code(), new_id()
    session.add(SignInCode(
        id=code_id, customer_id=customer.id if customer else None, channel=contact.channel,
        address_key=address_key, client_key=client_key,
        code_hash=_code_hash(code_key, tenant_id, code_id, code if customer else new_code() + "x"),
        expires_at=now + CODE_LIFETIME, failed_attempts=0, created_at=now))
    await session.flush()
    if customer is not None:
        text = compose(customer, code)
        await enqueue(session, Message(channel=contact.channel, recipient=contact.address, event="sign_in.code",
                                       key=f"sign-in-code:{code_id}", subject=text.subject, body=text.body),
                      now=now)
    return code_id


async def _enforce_limits(session: AsyncSession, address_key: str, client_key: str, now: datetime) -> None:
    """Count the code against both limits at once (:mod:`aftersales.identity.rate_limits`), or neither."""
    await rate_limits.take(session, [(ADDRESS_LIMIT, address_key), (CLIENT_LIMIT, client_key)], now=now)


async def check_code(session: AsyncSession, *, code_key: bytes, code_id: uuid.UUID, code: str,
                     now: datetime) -> CodeCheck:
    """Judge a typed code. A right one is used up; a wrong one counts, and the fifth wrong one ends the code.

    Returns the refusal instead of raising it, so the caller commits the count of wrong tries before refusing.
    """
    row = await session.scalar(select(SignInCode).where(SignInCode.id == code_id))
    if row is None or row.used_at is not None or row.failed_attempts >= MAX_WRONG_CODES or now >= row.expires_at:
        return CodeCheck(None, "expired")
    typed = ascii_digits("".join(code.split()))
    if row.customer_id is None or not hmac.compare_digest(
            row.code_hash, _code_hash(code_key, row.tenant_id, row.id, typed)):
        row.failed_attempts += 1
        await session.flush()
        left = MAX_WRONG_CODES - row.failed_attempts
        return CodeCheck(None, "wrong" if left else "ended", left)
    row.used_at = now
    await session.flush()
    return CodeCheck(row.customer_id)
