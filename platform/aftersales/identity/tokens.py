"""Access tokens: short-lived JWTs signed with the platform's EC P-256 key (ES256), verified strictly.

Verification pins the algorithm to ES256 (so ``alg=none`` and an HS256 token "signed" with the public key are
refused), and requires ``iss``, ``aud``, ``exp``, ``iat`` and ``sub``. A tenant-bound token carries the tenant
in ``tid``; the API never takes the tenant from anywhere else. The public key is published as a JWKS so
integrators and other services can verify tokens themselves.

An ES256 check costs about 0.2 ms of CPU, a fifth of what an API lookup may cost in all, and a client sends the
same token for minutes, so :class:`TokenService` keeps recently verified tokens (:class:`VerifiedTokens`). That is
safe because verification depends only on the token's exact text, the key and the clock: an entry is keyed by
the whole token (a token changed in one byte is verified afresh), only tokens that passed are kept, and an entry
is dropped the second the token's ``exp`` passes (without the 30 s leeway). Nothing else about a caller is
decided here: whether the token's tenant is still active is looked up on every request after verification
(:class:`~aftersales.onboarding.services.TenantCache`), exactly as without the cache.
"""

from __future__ import annotations

import os
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from aftersales.errors import AuthenticationFailed
from aftersales.identity.principals import Principal

ALGORITHM = "ES256"
VERIFIED_TOKENS_KEPT = 10_000
"""At most this many verified tokens are kept per process (about 1 KB each); the oldest makes room."""


def load_or_create_signing_key(pem: str | None, key_file: Path) -> ECKey:
    """The signing key from configuration, else from ``key_file``, else a new one written there (mode 0600)."""
    if pem:
        return ECKey.import_key(pem)
    if key_file.exists():
        return ECKey.import_key(key_file.read_bytes())
    key = ECKey.generate_key("P-256", private=True)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.as_pem(private=True))
    return key


class VerifiedTokens:
    """Tokens that passed verification, with the principal each speaks for, until their ``exp``."""

    def __init__(self, capacity: int = VERIFIED_TOKENS_KEPT) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[str, tuple[float, Principal]] = OrderedDict()

    def get(self, token: str, now: float) -> Principal | None:
        """The principal of ``token`` if it was verified and has not expired at ``now``."""
        entry = self._entries.get(token)
        if entry is None:
            return None
        if entry[0] <= now:
            del self._entries[token]
            return None
        return entry[1]

    def keep(self, token: str, expires_at: float, principal: Principal) -> None:
        if len(self._entries) >= self.capacity:
            self._entries.popitem(last=False)
        self._entries[token] = (expires_at, principal)


@dataclass
class TokenService:
    """Issues and verifies the platform's access tokens."""

    key: ECKey
    issuer: str
    audience: str
    lifetime_seconds: int = 900
    verified: VerifiedTokens = field(default_factory=VerifiedTokens, repr=False)
    """Recently verified tokens (see the module docstring); used when :meth:`verify` is given no ``now``."""
    clock: Callable[[], float] = field(default=time.time, repr=False)
    """The current time for :meth:`verify` (seconds since the epoch); tests pass their own instead of sleeping."""

    @property
    def kid(self) -> str:
        return self.key.thumbprint()

    def jwks(self) -> dict[str, Any]:
        """The public key set, for ``/.well-known/jwks.json``."""
        public = self.key.as_dict(private=False)
        return {"keys": [{**public, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}]}

    def issue(self, principal: Principal, *, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": principal.subject,
            "iat": issued,
            "nbf": issued,
            "exp": issued + self.lifetime_seconds,
            "jti": uuid.uuid4().hex,
            "kind": principal.kind,
            "scope": " ".join(sorted(principal.scopes)),
        }
        if principal.tenant_id is not None:
            claims["tid"] = str(principal.tenant_id)
        if principal.roles:
            claims["roles"] = list(principal.roles)
        if principal.provider_id is not None:
            claims["pid"] = str(principal.provider_id)
        if principal.customer_id is not None:
            claims["cid"] = str(principal.customer_id)
        return jwt.encode({"alg": ALGORITHM, "kid": self.kid, "typ": "at+jwt"}, claims, self.key)

    def verify(self, token: str, *, now: float | None = None) -> Principal:
        """The principal a token speaks for. :raises AuthenticationFailed: for any defect, with the reason.

        At the current time (no ``now``), a token verified before and not yet expired is answered from
        :attr:`verified`; a token verified at another ``now`` is neither answered from it nor added to it.
        """
        if now is not None:
            return self._verify(token, now)[0]
        checked_at = self.clock()
        kept = self.verified.get(token, checked_at)
        if kept is not None:
            return kept
        principal, expires_at = self._verify(token, checked_at)
        if expires_at > checked_at:  # not a token inside the leeway after its exp
            self.verified.keep(token, expires_at, principal)
        return principal

    def _verify(self, token: str, now: float) -> tuple[Principal, float]:
        """The principal and the ``exp`` of a token checked in full at ``now``."""
        try:
            decoded = jwt.decode(token, self.key, algorithms=[ALGORITHM])
            registry = jwt.JWTClaimsRegistry(
                now=int(now),
                leeway=30,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.audience},
                exp={"essential": True},
                iat={"essential": True},
                sub={"essential": True},
            )
            registry.validate(decoded.claims)
        except JoseError as exc:
            raise AuthenticationFailed(f"invalid access token: {exc.description or exc.error}") from None
        except ValueError:
            raise AuthenticationFailed("invalid access token: malformed") from None
        claims = decoded.claims
        try:
            tenant_id = uuid.UUID(claims["tid"]) if "tid" in claims else None
            provider_id = uuid.UUID(claims["pid"]) if "pid" in claims else None
            customer_id = uuid.UUID(claims["cid"]) if "cid" in claims else None
        except (ValueError, TypeError, AttributeError):
            raise AuthenticationFailed("invalid access token: malformed tenant, provider or customer") from None
        principal = Principal(
            kind=claims.get("kind", "client"),
            subject=str(claims["sub"]),
            tenant_id=tenant_id,
            scopes=frozenset(str(claims.get("scope", "")).split()),
            roles=tuple(claims.get("roles", ())),
            provider_id=provider_id,
            customer_id=customer_id,
        )
        return principal, float(claims["exp"])
