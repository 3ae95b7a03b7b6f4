"""Staff sign-in through the tenant's own OpenID Connect provider (authorization code flow with Authlib's
request builders, PKCE and ID token claims; ``httpx`` for the three HTTP calls).

1. **Start**: the provider's discovery document is fetched and must name the issuer the tenant's manifest names
   (a look-alike document is refused). A random ``state``, ``nonce`` and PKCE verifier are made; the browser
   keeps the state in a cookie, and an :class:`~aftersales.identity.models.SsoAttempt` row of the tenant (found
   by the state's hash) keeps the nonce and verifier. The browser goes to the provider with the S256 challenge.
2. **Callback**: the state in the query must equal the browser's cookie and name an unused, unexpired attempt
   *of this tenant* (another tenant's state finds nothing here). The code is exchanged with the verifier and the
   client secret; the ID token's signature is checked against the provider's published keys, and its issuer,
   audience (our client id), expiry, nonce and ``at_hash`` against what we expect.
3. **Who**: the token's ``email`` must be a staff member of this tenant who is active. Nobody is created on the
   fly: staff are added by the tenant's admins with their roles, and an SSO sign-in must not invent either.

The client secret never sits in a manifest or the database: the manifest names the server's environment
variable that holds it (``client_secret_env``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote_plus

import httpx
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import AftersalesError
from aftersales.identity.models import SsoAttempt, StaffUser
from aftersales.identity.principals import Principal
from aftersales.identity.services import staff_principal
from aftersales.tenancy.models import Tenant

ATTEMPT_LIFETIME = timedelta(minutes=10)
"""How long a started sign-in may take at the provider (typing a password, a second factor)."""
SCOPE = "openid email profile"
HTTP_TIMEOUT_SECONDS = 10.0
CLOCK_LEEWAY_SECONDS = 60


class SsoRefused(AftersalesError):
    """The SSO sign-in cannot go on; ``reason`` says which check failed (``not_configured``, ``provider``,
    ``issuer``, ``state``, ``token``, ``unknown_staff``), for the page to word and the log to record."""

    title = "Sign-in refused"

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class SsoProvider:
    """The tenant's provider: issuer, our client id there, and the secret read from the server's environment."""

    issuer: str
    client_id: str
    client_secret: str

    @classmethod
    def of(cls, tenant: Tenant) -> SsoProvider:
        """:raises SsoRefused: the tenant has no provider, or the server lacks the secret's variable."""
        config = tenant.sso
        if not config:
            raise SsoRefused("not_configured", "this company signs its staff in with passwords only")
        secret = os.environ.get(config["client_secret_env"])
        if not secret:
            raise SsoRefused("not_configured", f"the server has no {config['client_secret_env']} for this provider")
        return cls(issuer=config["issuer"], client_id=config["client_id"], client_secret=secret)


def state_hash(state: str) -> str:
    """What is stored of a state (the browser's cookie holds the state itself)."""
    return hashlib.sha256(state.encode()).hexdigest()


async def discover(provider: SsoProvider) -> dict[str, Any]:
    """The provider's discovery document, which must name exactly the configured issuer (OIDC Discovery §4.3).

    :raises SsoRefused: unreachable, not a discovery document, or another issuer.
    """
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS) as http:
            response = await http.get(url)
            response.raise_for_status()
            metadata = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SsoRefused("provider", f"the sign-in provider did not answer: {exc}") from None
    if not isinstance(metadata, dict) or not all(
            isinstance(metadata.get(k), str) for k in ("issuer", "authorization_endpoint", "token_endpoint",
                                                       "jwks_uri")):
        raise SsoRefused("provider", "the sign-in provider's discovery document is incomplete")
    if metadata["issuer"] != provider.issuer:
        raise SsoRefused("issuer", f"the discovery document names issuer {metadata['issuer']!r}, "
                                   f"not {provider.issuer!r}")
    return metadata


async def start_sign_in(session: AsyncSession, provider: SsoProvider, *, redirect_uri: str, next_path: str,
                        now: datetime) -> tuple[str, str]:
    """Begin a sign-in: the provider's authorization URL to send the browser to, and the state for its cookie."""
    metadata = await discover(provider)
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    url = prepare_grant_uri(metadata["authorization_endpoint"], client_id=provider.client_id, response_type="code",
                            redirect_uri=redirect_uri, scope=SCOPE, state=state, nonce=nonce,
                            code_challenge=create_s256_code_challenge(verifier), code_challenge_method="S256")
    session.add(SsoAttempt(state_hash=state_hash(state), nonce=nonce, code_verifier=verifier, next_path=next_path,
                           expires_at=now + ATTEMPT_LIFETIME))
    await session.flush()
    return url, state


async def finish_sign_in(session: AsyncSession, provider: SsoProvider, *, state: str, browser_state: str | None,
                         code: str, redirect_uri: str, now: datetime) -> tuple[Principal, str]:
    """Complete a sign-in from the provider's redirect: the staff member, and the page they were going to.

    The attempt is used up before anything else is checked, so a state works once however the rest goes
    (commit the session even when this raises).

    :raises SsoRefused: for any failed check (see the module's docstring).
    """
    if not state or not browser_state or not hmac.compare_digest(state, browser_state):
        raise SsoRefused("state", "this sign-in was not started in this browser")
    attempt = await session.scalar(select(SsoAttempt).where(SsoAttempt.state_hash == state_hash(state)))
    if attempt is None or attempt.used_at is not None or attempt.expires_at <= now:
        raise SsoRefused("state", "this sign-in is unknown here, expired or already used")
    attempt.used_at = now
    await session.flush()
    metadata = await discover(provider)
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS) as http:
            answer = await http.post(metadata["token_endpoint"], auth=_basic(provider),
                                     data={"grant_type": "authorization_code", "code": code,
                                           "redirect_uri": redirect_uri, "code_verifier": attempt.code_verifier})
            token = answer.raise_for_status().json()
            jwks = (await http.get(metadata["jwks_uri"])).raise_for_status().json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SsoRefused("token", f"the provider refused the sign-in: {exc}") from None
    if not isinstance(token, dict) or not isinstance(jwks, dict):
        raise SsoRefused("token", "the provider's token or key set is not a JSON object")
    claims = _verified_id_token(provider, metadata, token, jwks, attempt.nonce, now)
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") is False:
        raise SsoRefused("unknown_staff", "the provider gave no verified e-mail address")
    staff = await session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if staff is None or not staff.active:
        raise SsoRefused("unknown_staff", f"{email} is not an active staff member of this company")
    return staff_principal(staff), attempt.next_path


def _basic(provider: SsoProvider) -> tuple[str, str]:
    """``client_secret_basic``: id and secret form-encoded before Basic encoding (RFC 6749 §2.3.1)."""
    return quote_plus(provider.client_id), quote_plus(provider.client_secret)


def _verified_id_token(provider: SsoProvider, metadata: dict[str, Any], token: dict[str, Any],
                       jwks: dict[str, Any], nonce: str, now: datetime) -> CodeIDToken:
    if "id_token" not in token:
        raise SsoRefused("token", "the provider sent no ID token")
    algorithms = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    try:
        decoded = jwt.decode(token["id_token"], KeySet.import_key_set(jwks),
                             registry=JWSRegistry(algorithms=[a for a in algorithms if a != "none"]))
        claims = CodeIDToken(decoded.claims, decoded.header,
                             {"iss": {"essential": True, "value": provider.issuer},
                              "aud": {"essential": True, "value": provider.client_id}},
                             {"nonce": nonce, "client_id": provider.client_id,
                              "access_token": token.get("access_token")})
        claims.validate(now=int(now.timestamp()), leeway=CLOCK_LEEWAY_SECONDS)
    except (JoseError, ValueError) as exc:
        raise SsoRefused("token", f"the ID token is not valid for this sign-in: {exc}") from None
    return claims
