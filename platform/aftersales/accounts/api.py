"""Identity endpoints: the OAuth2 token endpoint and key set, password sign-in, staff and API clients."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any
from urllib.parse import unquote

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody
from sqlalchemy import select

from aftersales.accounts import services as accounts
from aftersales.accounts import sign_in_limits
from aftersales.accounts.schemas import (
    ClientCreate,
    ClientCreated,
    Me,
    PasswordLogin,
    StaffCreate,
    StaffOut,
    TokenResponse,
)
from aftersales.db.base import utcnow
from aftersales.errors import AuthenticationFailed, InvalidInput, NotFound
from aftersales.http.context import HOST_TENANT, TOKEN_TENANT, RuntimeDep, SessionDep, TenantDep
from aftersales.http.forwarded import client_address
from aftersales.http.problems import problem
from aftersales.identity import services
from aftersales.identity.guards import current_principal, requires_scope
from aftersales.identity.models import Customer, StaffUser
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import CLIENTS_WRITE, CUSTOMERS_ACT, STAFF_READ, STAFF_WRITE
from aftersales.tenancy.models import Tenant


def _token_response(runtime: RuntimeDep, principal: Principal) -> TokenResponse:
    return TokenResponse(
        access_token=runtime.tokens.issue(principal),
        expires_in=runtime.tokens.lifetime_seconds,
        scope=" ".join(sorted(principal.scopes)),
    )


def _oauth_error(request: Request[Any, Any, Any], status: int, error: str, description: str) -> Response[Any]:
    """RFC 6749 §5.2 error members inside an RFC 9457 problem document, so both kinds of client understand."""
    headers = {"WWW-Authenticate": 'Basic realm="aftersales"'} if error == "invalid_client" else None
    return problem(
        request, status=status, title="Token request refused", detail=description, kind=f"oauth-{error}",
        headers=headers, error=error, error_description=description,
    )


def _client_credentials(request: Request[Any, Any, Any], form: dict[str, Any]) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, sep, secret = decoded.partition(":")
        return (unquote(client_id), unquote(secret)) if sep else None
    if form.get("client_id") and form.get("client_secret"):
        return str(form["client_id"]), str(form["client_secret"])
    return None


class OAuthController(Controller):
    """OAuth2 authorisation-server endpoints (client-credentials grant only) and the public key set."""

    tags = ["identity"]

    @post("/oauth/token", operation_id="issueToken", status_code=200, exclude_from_auth=True)
    async def token(self, request: Request[Any, Any, Any], runtime: RuntimeDep) -> Response[Any]:
        """Exchange client credentials for a short-lived access token bound to the client's tenant."""
        form = dict(await request.form())
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(request, 400, "unsupported_grant_type", "only grant_type=client_credentials is supported")
        credentials = _client_credentials(request, form)
        if credentials is None:
            return _oauth_error(request, 401, "invalid_client", "client authentication is required")
        scopes = str(form.get("scope", "")).split() or None
        async with runtime.db.transaction(None) as session:
            try:
                principal = await services.authenticate_client(
                    session, client_id=credentials[0], client_secret=credentials[1], requested_scopes=scopes
                )
            except AuthenticationFailed as exc:
                return _oauth_error(request, 401, "invalid_client", exc.detail)
            except InvalidInput as exc:
                return _oauth_error(request, 400, "invalid_scope", str(exc))
            if principal.tenant_id is not None:
                tenant = await session.get(Tenant, principal.tenant_id)
                if tenant is None or tenant.status != "active":
                    return _oauth_error(request, 400, "unauthorized_client", "the client's tenant is not active")
        body = _token_response(runtime, principal).model_dump()
        return Response(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    @get("/.well-known/jwks.json", operation_id="getJwks", exclude_from_auth=True, sync_to_thread=False)
    def jwks(self, runtime: RuntimeDep) -> dict[str, Any]:
        """The public keys that verify aftersales access tokens."""
        return runtime.tokens.jwks()

    @get("/.well-known/oauth-authorization-server", operation_id="getAuthServerMetadata",
         exclude_from_auth=True, sync_to_thread=False)
    def metadata(self, runtime: RuntimeDep) -> dict[str, Any]:
        """RFC 8414 authorisation-server metadata."""
        base = runtime.tokens.issuer
        return {
            "issuer": base,
            "token_endpoint": f"{base}/oauth/token",
            "jwks_uri": f"{base}/.well-known/jwks.json",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "token_endpoint_auth_signing_alg_values_supported": ["ES256"],
        }


async def _staff_login(request: Request[Any, Any, Any], runtime: RuntimeDep, tenant: TenantDep,
                       data: JSONBody[PasswordLogin]) -> TokenResponse:
    """Count the attempt against the client's limit, then check the password (the failure count is committed
    with a refusal); a locked account is a 429 with ``Retry-After``, as the sign-in page answers."""
    now = utcnow()
    await sign_in_limits.count_attempt(runtime.db, tenant.record.id, code_key=runtime.code_key,
                                       client_address=client_address(request), now=now)
    async with runtime.db.transaction(tenant.record.id) as session:
        outcome = await services.check_staff_password(session, email=data.email, password=data.password, now=now)
    if isinstance(outcome, AuthenticationFailed):
        raise sign_in_limits.locked(outcome) or outcome
    return _token_response(runtime, outcome)


class SignInController(Controller):
    """Password sign-in for staff (tenant from host or ``/t/{slug}/``) and for platform operators."""

    tags = ["identity"]

    @post("/auth/login", operation_id="staffLogin", status_code=200, dependencies=HOST_TENANT,
          exclude_from_auth=True)
    async def staff_login(self, request: Request[Any, Any, Any], data: JSONBody[PasswordLogin], runtime: RuntimeDep,
                          tenant: TenantDep) -> TokenResponse:
        """Sign a staff member in with e-mail and password; the tenant is the request's host. At most 20 attempts
        in 10 minutes from one client; a locked account or a client over its limit is 429 with Retry-After."""
        return await _staff_login(request, runtime, tenant, data)

    @post("/t/{tenant_slug:str}/auth/login", operation_id="staffLoginByPath", status_code=200,
          dependencies=HOST_TENANT, exclude_from_auth=True)
    async def staff_login_by_path(self, request: Request[Any, Any, Any], data: JSONBody[PasswordLogin],
                                  runtime: RuntimeDep, tenant: TenantDep) -> TokenResponse:
        """Sign a staff member in; the tenant is the ``/t/{slug}/`` path (local use, no wildcard DNS). Limited
        as ``staffLogin``."""
        return await _staff_login(request, runtime, tenant, data)

    @post("/operator/login", operation_id="operatorLogin", status_code=200, exclude_from_auth=True)
    async def operator_login(self, data: JSONBody[PasswordLogin], runtime: RuntimeDep) -> TokenResponse:
        """Sign a platform operator in; returns an operator token (no tenant)."""
        async with runtime.db.transaction(None) as session:
            principal = await services.authenticate_operator(session, email=data.email, password=data.password)
        return _token_response(runtime, principal)


class TenantIdentityController(Controller):
    """The caller, the tenant's staff and its API clients."""

    path = "/api/v1"
    tags = ["identity"]
    dependencies = TOKEN_TENANT

    @get("/me", operation_id="getMe")
    async def me(self, request: Request[Any, Any, Any], runtime: RuntimeDep) -> Me:
        """Who the access token speaks for."""
        principal = current_principal(request)
        slug = None
        if principal.tenant_id is not None:
            async with runtime.db.platform_session() as session:
                slug = await session.scalar(select(Tenant.slug).where(Tenant.id == principal.tenant_id))
        return Me(
            kind=principal.kind, subject=principal.subject, tenant_id=principal.tenant_id, tenant_slug=slug,
            scopes=sorted(principal.scopes), roles=list(principal.roles), provider_id=principal.provider_id,
            customer_id=principal.customer_id,
        )

    @get("/staff", operation_id="listStaff", guards=[requires_scope(STAFF_READ)])
    async def list_staff(self, session: SessionDep) -> list[StaffOut]:
        """Every staff member of the caller's tenant."""
        rows = await session.scalars(select(StaffUser).order_by(StaffUser.email))
        return [StaffOut(id=s.id, email=s.email, name=s.name, roles=s.roles, active=s.active, provider_id=s.provider_id)
                for s in rows]

    @post("/staff", operation_id="createStaff", guards=[requires_scope(STAFF_WRITE)])
    async def create_staff(self, data: JSONBody[StaffCreate], session: SessionDep) -> StaffOut:
        """Add a staff member; without a password they sign in only through the company's SSO."""
        s = await accounts.create_staff(session, email=data.email, name=data.name, roles=data.roles,
                                        password=data.password, provider_id=data.provider_id)
        return StaffOut(id=s.id, email=s.email, name=s.name, roles=s.roles, active=s.active, provider_id=s.provider_id)

    @post("/customers/{customer_id:uuid}/token", operation_id="issueCustomerToken", status_code=200,
          guards=[requires_scope(CUSTOMERS_ACT)])
    async def customer_token(self, customer_id: FromPath[uuid.UUID], session: SessionDep,
                             runtime: RuntimeDep) -> TokenResponse:
        """A customer token for one of the tenant's customers, for the tenant's own app once it has signed them in:
        it reaches only that customer's own bookings, quotes and ratings (``customer:self``)."""
        customer = await session.scalar(select(Customer).where(Customer.id == customer_id))
        if customer is None:
            raise NotFound("no such customer")
        return _token_response(runtime, services.customer_principal(customer))

    @post("/clients", operation_id="createApiClient", guards=[requires_scope(CLIENTS_WRITE)])
    async def create_client(self, data: JSONBody[ClientCreate], tenant: TenantDep, runtime: RuntimeDep) -> ClientCreated:
        """Register an integration: its tokens are bound to this tenant and limited to ``scopes``."""
        async with runtime.db.transaction(None) as platform:
            client, secret = await accounts.create_api_client(
                platform, tenant_id=tenant.record.id, name=data.name, scopes=data.scopes
            )
        return ClientCreated(client_id=client.client_id, client_secret=secret, name=client.name, scopes=client.scopes)
