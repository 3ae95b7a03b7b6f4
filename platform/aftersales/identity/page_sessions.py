"""Signed-in browsers: opening, resolving and ending page sessions.

A page session is what a sign-in page (one-time code, password, SSO) leaves behind: a random token in an
HTTP-only cookie, stored only as its SHA-256. Resolving it gives the same :class:`Principal` an access token
would (:func:`~aftersales.identity.services.customer_principal`, :func:`~aftersales.identity.services.
staff_principal`), so pages call the services with the rights the API would grant. A staff member made inactive
is signed out on their next page; a customer or staff row that is gone ends the session too.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.identity.models import Customer, Operator, OperatorSession, PageSession, StaffUser
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import OPERATOR
from aftersales.identity.services import customer_principal, staff_principal

LIFETIME = {"customer": timedelta(days=30), "staff": timedelta(hours=12)}
"""How long a sign-in lasts: a customer on their own phone stays signed in for a month, staff for a shift."""
OPERATOR_LIFETIME = timedelta(hours=8)
METHODS = frozenset({"code", "password", "sso"})


@dataclass(frozen=True)
class OpenedSession:
    """A new sign-in: the token for the cookie (never stored) and how long the cookie should live."""

    token: str
    expires_at: datetime

    def max_age(self, now: datetime) -> int:
        return max(0, int((self.expires_at - now).total_seconds()))


def token_hash(token: str) -> str:
    """What is stored of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


async def open_session(session: AsyncSession, *, principal: Principal, method: str,
                       now: datetime | None = None) -> OpenedSession:
    """Sign ``principal`` (a customer or staff member of the session's tenant) in on a browser."""
    if principal.kind not in LIFETIME or method not in METHODS:
        raise ValueError(f"cannot open a {principal.kind} page session by {method}")
    now = now or utcnow()
    token = _new_token()
    expires_at = now + LIFETIME[principal.kind]
    session.add(PageSession(token_hash=token_hash(token), kind=principal.kind, subject=uuid.UUID(principal.subject),
                            method=method, expires_at=expires_at))
    await session.flush()
    return OpenedSession(token, expires_at)


async def _live(session: AsyncSession, token: str, now: datetime) -> PageSession | None:
    record = await session.scalar(select(PageSession).where(PageSession.token_hash == token_hash(token)))
    if record is None or record.ended_at is not None or record.expires_at <= now:
        return None
    return record


async def resolve_session(session: AsyncSession, token: str, now: datetime | None = None) -> Principal | None:
    """Who the browser holding ``token`` is on this tenant's pages, or None (unknown, ended, expired, or the
    person is no longer active)."""
    now = now or utcnow()
    record = await _live(session, token, now)
    if record is None:
        return None
    if record.kind == "customer":
        customer = await session.get(Customer, (record.tenant_id, record.subject))
        return customer_principal(customer) if customer is not None else None
    staff = await session.get(StaffUser, (record.tenant_id, record.subject))
    if staff is None or not staff.active:
        return None
    return staff_principal(staff)


async def end_session(session: AsyncSession, token: str, now: datetime | None = None) -> bool:
    """Sign the browser holding ``token`` out; False when there was nothing to end."""
    now = now or utcnow()
    record = await _live(session, token, now)
    if record is None:
        return False
    record.ended_at = now
    await session.flush()
    return True


async def end_sessions_of(session: AsyncSession, *, kind: str, subject: uuid.UUID,
                          now: datetime | None = None) -> int:
    """Sign a person out everywhere (a deactivated staff member, a customer who lost their phone)."""
    now = now or utcnow()
    records = list(await session.scalars(select(PageSession).where(
        PageSession.kind == kind, PageSession.subject == subject, PageSession.ended_at.is_(None),
        PageSession.expires_at > now)))
    for record in records:
        record.ended_at = now
    await session.flush()
    return len(records)


async def open_operator_session(session: AsyncSession, *, operator_id: uuid.UUID,
                                now: datetime | None = None) -> OpenedSession:
    """Sign an operator in on the operator console (``session`` is a platform session)."""
    now = now or utcnow()
    token = _new_token()
    expires_at = now + OPERATOR_LIFETIME
    session.add(OperatorSession(token_hash=token_hash(token), operator_id=operator_id, expires_at=expires_at))
    await session.flush()
    return OpenedSession(token, expires_at)


async def resolve_operator_session(session: AsyncSession, token: str,
                                   now: datetime | None = None) -> Principal | None:
    """The operator signed in with ``token``, or None."""
    now = now or utcnow()
    record = await session.scalar(select(OperatorSession).where(OperatorSession.token_hash == token_hash(token)))
    if record is None or record.ended_at is not None or record.expires_at <= now:
        return None
    operator = await session.get(Operator, record.operator_id)
    if operator is None:
        return None
    return Principal(kind="operator", subject=str(operator.id), tenant_id=None, scopes=frozenset({OPERATOR}))


async def end_operator_session(session: AsyncSession, token: str, now: datetime | None = None) -> bool:
    """Sign an operator's browser out."""
    now = now or utcnow()
    record = await session.scalar(select(OperatorSession).where(OperatorSession.token_hash == token_hash(token)))
    if record is None or record.ended_at is not None:
        return False
    record.ended_at = now
    await session.flush()
    return True
