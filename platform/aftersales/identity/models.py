"""Principals: platform operators, tenant staff, customers, and the API client directory."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, PlatformTable, TenantOwned, new_id, utcnow


class Operator(PlatformTable, Base):
    """A person who runs the platform itself (onboards and suspends tenants). Platform-level by design:
    operators belong to no tenant."""

    __tablename__ = "operators"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column()


class StaffUser(TenantOwned, Base):
    """A tenant's employee: admin, call-centre agent, technician, finance or customer service."""

    __tablename__ = "staff_users"
    __table_args__ = (
        UniqueConstraint("tenant_id", "email"),
        ForeignKeyConstraint(["tenant_id", "provider_id"], ["providers.tenant_id", "providers.id"]),
    )

    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSON)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """None for staff who sign in only through their company's OpenID Connect provider."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    provider_id: Mapped[uuid.UUID | None] = mapped_column()
    """For a user with the ``provider`` role: the marketplace provider they work for."""


class Customer(TenantOwned, Base):
    """An end customer of one tenant. The same person buying from two companies is two customers."""

    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("tenant_id", "email"), UniqueConstraint("tenant_id", "phone"))

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    locale: Mapped[str | None] = mapped_column(String(10))


class ApiClient(PlatformTable, Base):
    """An OAuth2 client (client-credentials grant). Platform-level by design: the token endpoint must find
    the client, and from it the one tenant its tokens are bound to, before any tenant is known. A client with
    no tenant is an operator client."""

    __tablename__ = "api_clients"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(String(80), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tenants.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PageSession(TenantOwned, Base):
    """A signed-in browser on a tenant's pages (portal or staff console). The cookie holds a random token; only
    its SHA-256 is stored, so a leaked table signs no one in. Ended sessions are kept until they expire."""

    __tablename__ = "page_sessions"
    __table_args__ = (UniqueConstraint("tenant_id", "token_hash"),)

    token_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))
    """``customer`` or ``staff`` (provider users are staff)."""
    subject: Mapped[uuid.UUID] = mapped_column()
    """The customer's or staff member's id."""
    method: Mapped[str] = mapped_column(String(10))
    """How they signed in: ``code`` (one-time code), ``password`` or ``sso``."""
    expires_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()


class OperatorSession(PlatformTable, Base):
    """A signed-in browser on the operator console. Platform-level by design: operators belong to no tenant."""

    __tablename__ = "operator_sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    operator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("operators.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()


class SignInCode(TenantOwned, Base):
    """A one-time code asked for on the portal's sign-in page (:mod:`aftersales.accounts.one_time_codes`).

    Only keyed hashes are stored: of the code (bound to this row), of the address it was asked for and of the
    client that asked, so the table neither signs anyone in nor lists who tried. A request for an address that is
    no customer's is stored too (``customer_id`` None, a code no one knows): it counts against the same limits
    and the visitor is answered exactly as for a customer.
    """

    __tablename__ = "sign_in_codes"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        Index("ix_sign_in_codes_address_time", "tenant_id", "address_key", "created_at"),
        Index("ix_sign_in_codes_client_time", "tenant_id", "client_key", "created_at"),
    )

    customer_id: Mapped[uuid.UUID | None] = mapped_column()
    channel: Mapped[str] = mapped_column(String(10))
    """``email`` or ``sms``."""
    address_key: Mapped[str] = mapped_column(String(64))
    client_key: Mapped[str] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column()
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column()


class SsoAttempt(TenantOwned, Base):
    """A staff sign-in sent to the tenant's OpenID Connect provider and not yet back
    (:mod:`aftersales.identity.oidc_sign_in`). The browser holds the state in a cookie; this row, found by the
    state's hash in the tenant's own session, holds the nonce and PKCE verifier the answer is checked against.
    Used once."""

    __tablename__ = "sso_attempts"
    __table_args__ = (UniqueConstraint("tenant_id", "state_hash"),)

    state_hash: Mapped[str] = mapped_column(String(64))
    nonce: Mapped[str] = mapped_column(String(100))
    code_verifier: Mapped[str] = mapped_column(String(200))
    next_path: Mapped[str] = mapped_column(String(2000), default="")
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
