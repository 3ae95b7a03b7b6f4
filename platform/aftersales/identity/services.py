"""Creating principals and checking their credentials. Every check returns a :class:`Principal` or raises."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import AuthenticationFailed, FieldError, InvalidInput
from aftersales.identity.models import ApiClient, Customer, Operator, StaffUser
from aftersales.identity.passwords import hash_password, verify_password
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import CUSTOMER_SCOPES, OPERATOR, scopes_for_roles

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
# Verified against when the account does not exist, so a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def staff_principal(staff: StaffUser) -> Principal:
    return Principal(
        kind="staff",
        subject=str(staff.id),
        tenant_id=staff.tenant_id,
        scopes=scopes_for_roles(staff.roles),
        roles=tuple(staff.roles),
        provider_id=staff.provider_id,
    )


def customer_principal(customer: Customer) -> Principal:
    """What a customer token speaks for: that customer's own business (``customer:self``) and no one else's."""
    return Principal(kind="customer", subject=str(customer.id), tenant_id=customer.tenant_id,
                     scopes=CUSTOMER_SCOPES, customer_id=customer.id)


async def check_staff_password(
    session: AsyncSession, *, email: str, password: str, now: datetime | None = None
) -> Principal | AuthenticationFailed:
    """Check a staff password in the session's tenant; 5 failures lock the account for 15 minutes.

    Returns the failure instead of raising it, so the caller commits the failure count before refusing.
    """
    staff = await session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if staff is None or not staff.active:
        await _verified(_DUMMY_HASH, password)
        return AuthenticationFailed("wrong e-mail or password")
    refused = await _judge_password(session, staff, password, now or utcnow())
    return refused if refused is not None else staff_principal(staff)


async def check_operator_password(
    session: AsyncSession, *, email: str, password: str, now: datetime | None = None
) -> Principal | AuthenticationFailed:
    """Check an operator's password (platform session) with the staff lockout: 5 failures lock for 15 minutes.

    Returns the failure instead of raising it, so the caller commits the failure count before refusing.
    """
    operator = await session.scalar(select(Operator).where(Operator.email == email.strip().lower()))
    if operator is None:
        await _verified(_DUMMY_HASH, password)
        return AuthenticationFailed("wrong e-mail or password")
    refused = await _judge_password(session, operator, password, now or utcnow())
    return refused if refused is not None else operator_principal(operator)


async def _judge_password(session: AsyncSession, account: StaffUser | Operator, password: str,
                          now: datetime) -> AuthenticationFailed | None:
    """None when ``password`` is the account's and it is not locked; counts a failure and locks on the fifth."""
    if account.locked_until is not None and account.locked_until > now:
        return AuthenticationFailed("too many failed sign-ins; try again later", code="signin.locked",
                                    params={"retry_after": (account.locked_until - now).total_seconds()})
    if account.password_hash is None or not await _verified(account.password_hash, password):
        account.failed_logins += 1
        if account.failed_logins >= MAX_FAILED_LOGINS:
            account.locked_until = now + LOCKOUT
            account.failed_logins = 0
        await session.flush()
        return AuthenticationFailed("wrong e-mail or password")
    account.failed_logins = 0
    account.locked_until = None
    await session.flush()
    return None


async def _verified(password_hash: str, password: str) -> bool:
    """:func:`verify_password` in a worker thread: an Argon2 check takes a quarter of a second of CPU (argon2-cffi
    releases the GIL), which would otherwise stop every other request of the process, and hold the rate
    counters of concurrent sign-ins (SQLite's one writer) past their busy timeout."""
    return await asyncio.to_thread(verify_password, password_hash, password)


def operator_principal(operator: Operator) -> Principal:
    """What an operator's sign-in speaks for: the platform, no tenant."""
    return Principal(kind="operator", subject=str(operator.id), tenant_id=None, scopes=frozenset({OPERATOR}))


async def authenticate_operator(session: AsyncSession, *, email: str, password: str) -> Principal:
    operator = await session.scalar(select(Operator).where(Operator.email == email.strip().lower()))
    if operator is None:
        verify_password(_DUMMY_HASH, password)
        raise AuthenticationFailed("wrong e-mail or password")
    if not verify_password(operator.password_hash, password):
        raise AuthenticationFailed("wrong e-mail or password")
    return operator_principal(operator)


async def authenticate_client(
    session: AsyncSession, *, client_id: str, client_secret: str, requested_scopes: list[str] | None
) -> Principal:
    """Client-credentials grant: the client's tenant and the requested subset of its scopes."""
    client = await session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    if client is None or not client.active:
        verify_password(_DUMMY_HASH, client_secret)
        raise AuthenticationFailed("unknown client or wrong secret")
    if not verify_password(client.secret_hash, client_secret):
        raise AuthenticationFailed("unknown client or wrong secret")
    granted = frozenset(client.scopes)
    if requested_scopes:
        extra = set(requested_scopes) - granted
        if extra:
            raise InvalidInput("invalid scope", [FieldError("scope", f"not granted to this client: {' '.join(sorted(extra))}")])
        granted = frozenset(requested_scopes)
    kind = "client" if client.tenant_id is not None else "operator"
    return Principal(kind=kind, subject=client.client_id, tenant_id=client.tenant_id, scopes=granted)


async def assignable_staff(session: AsyncSession) -> list[StaffUser]:
    """Active staff who can take a request, by name (provider users work on bookings, not requests)."""
    staff = await session.scalars(select(StaffUser).where(StaffUser.active.is_(True), StaffUser.provider_id.is_(None))
                                  .order_by(StaffUser.name))
    return [s for s in staff if "provider" not in s.roles]


async def staff_names(session: AsyncSession, staff_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names of the staff members ``staff_ids`` (ids of no staff member are left out)."""
    if not staff_ids:
        return {}
    rows = await session.execute(select(StaffUser.id, StaffUser.name).where(StaffUser.id.in_(staff_ids)))
    return dict(rows.all())
