"""Creating principals: operators, staff (a provider user for a provider of the tenant) and API clients."""

from __future__ import annotations

import secrets
import uuid

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.identity.models import ApiClient, Operator, StaffUser
from aftersales.identity.passwords import MIN_PASSWORD_LENGTH, hash_password
from aftersales.identity.scopes import OPERATOR, ROLES, TENANT_SCOPES
from aftersales.marketplace.models import Provider


def _normalise_email(email: str, field: str = "email") -> str:
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput("invalid e-mail address", [FieldError(field, str(exc))]) from None


def _check_password_strength(password: str) -> list[FieldError]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return [FieldError("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")]
    return []



async def create_operator(session: AsyncSession, *, email: str, name: str, password: str) -> Operator:
    errors = _check_password_strength(password)
    if errors:
        raise InvalidInput("invalid operator", errors)
    operator = Operator(email=_normalise_email(email), name=name, password_hash=hash_password(password))
    session.add(operator)
    await session.flush()
    return operator


async def create_staff(
    session: AsyncSession, *, email: str, name: str, roles: list[str], password: str | None,
    provider_id: uuid.UUID | None = None,
) -> StaffUser:
    """Add a staff member to the session's tenant. A None password means SSO-only. A provider user has the
    ``provider`` role alone and names the marketplace provider they work for."""
    errors: list[FieldError] = []
    try:
        normalised = _normalise_email(email)
    except InvalidInput as exc:
        errors += exc.errors
        normalised = email
    if not name.strip():
        errors.append(FieldError("name", "must not be empty"))
    if not roles:
        errors.append(FieldError("roles", "at least one role is required"))
    errors += [FieldError(f"roles.{i}", f"unknown role; one of {', '.join(ROLES)}") for i, r in enumerate(roles) if r not in ROLES]
    if password is not None:
        errors += _check_password_strength(password)
    errors += await _provider_errors(session, roles, provider_id)
    if errors:
        raise InvalidInput("invalid staff member", errors)
    if await session.scalar(select(StaffUser.id).where(StaffUser.email == normalised)):
        raise Conflict(f"a staff member with e-mail {normalised} already exists")
    staff = StaffUser(
        email=normalised,
        name=name.strip(),
        roles=sorted(set(roles)),
        password_hash=hash_password(password) if password is not None else None,
        provider_id=provider_id,
    )
    session.add(staff)
    await session.flush()
    return staff


async def _provider_errors(session: AsyncSession, roles: list[str], provider_id: uuid.UUID | None) -> list[FieldError]:
    """A provider user is only that, and works for a provider of this tenant; no one else names a provider."""
    if "provider" not in roles:
        return [FieldError("provider_id", "only a user with the provider role works for a provider")] if provider_id else []
    errors = []
    if set(roles) != {"provider"}:
        errors.append(FieldError("roles", "the provider role cannot be combined with staff roles"))
    if provider_id is None:
        errors.append(FieldError("provider_id", "name the provider this user works for"))
    elif await session.scalar(select(Provider.id).where(Provider.id == provider_id)) is None:
        errors.append(FieldError("provider_id", "no such provider"))
    return errors


async def create_api_client(
    session: AsyncSession, *, tenant_id: uuid.UUID | None, name: str, scopes: list[str]
) -> tuple[ApiClient, str]:
    """Register an OAuth2 client; returns it with its secret, which is shown once and stored only hashed."""
    allowed = TENANT_SCOPES if tenant_id is not None else frozenset({OPERATOR})
    errors = [
        FieldError(f"scopes.{i}", f"unknown scope {s!r}; one of {', '.join(sorted(allowed))}")
        for i, s in enumerate(scopes)
        if s not in allowed
    ]
    if not name.strip():
        errors.append(FieldError("name", "must not be empty"))
    if not scopes:
        errors.append(FieldError("scopes", "at least one scope is required"))
    if errors:
        raise InvalidInput("invalid API client", errors)
    secret = secrets.token_urlsafe(32)
    client = ApiClient(
        client_id=f"asc_{secrets.token_urlsafe(12)}",
        secret_hash=hash_password(secret),
        tenant_id=tenant_id,
        name=name.strip(),
        scopes=sorted(set(scopes)),
    )
    session.add(client)
    await session.flush()
    return client, secret
