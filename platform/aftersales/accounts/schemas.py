"""Request and response bodies of the identity API."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PasswordLogin(_Body):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class TokenResponse(BaseModel):
    """RFC 6749 §5.1 access token response."""

    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    scope: str


class StaffCreate(_Body):
    email: str = Field(max_length=254)
    name: str = Field(max_length=200)
    roles: list[str]
    password: str | None = Field(default=None, max_length=1024)
    provider_id: uuid.UUID | None = None
    """For the ``provider`` role: the marketplace provider the user works for."""


class StaffOut(BaseModel):
    id: uuid.UUID
    email: str
    name: str
    roles: list[str]
    active: bool
    provider_id: uuid.UUID | None = None


class ClientCreate(_Body):
    name: str = Field(max_length=200)
    scopes: list[str]


class ClientCreated(BaseModel):
    client_id: str
    client_secret: str = Field(description="Shown once; only a hash is stored.")
    name: str
    scopes: list[str]


class Me(BaseModel):
    kind: str
    subject: str
    tenant_id: uuid.UUID | None
    tenant_slug: str | None
    scopes: list[str]
    roles: list[str]
    provider_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
