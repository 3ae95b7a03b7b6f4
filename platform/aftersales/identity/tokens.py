"""Access tokens: short-lived JWTs signed with the platform's EC P-256 key (ES256), verified strictly.

Verification pins the algorithm to ES256 (so ``alg=none`` and an HS256 token "signed" with the public key are
refused), and requires ``iss``, ``aud``, ``exp``, ``iat`` and ``sub``. A tenant-bound token carries the tenant
in ``tid``; the API never takes the tenant from anywhere else. The public key is published as a JWKS so
integrators and other services can verify tokens themselves.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from aftersales.errors import AuthenticationFailed
from aftersales.identity.principals import Principal

ALGORITHM = "ES256"


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


@dataclass
class TokenService:
    """Issues and verifies the platform's access tokens."""

    key: ECKey
    issuer: str
    audience: str
    lifetime_seconds: int = 900

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
        return jwt.encode({"alg": ALGORITHM, "kid": self.kid, "typ": "at+jwt"}, claims, self.key)

    def verify(self, token: str, *, now: float | None = None) -> Principal:
        """The principal a token speaks for. :raises AuthenticationFailed: for any defect, with the reason."""
        try:
            decoded = jwt.decode(token, self.key, algorithms=[ALGORITHM])
            registry = jwt.JWTClaimsRegistry(
                now=int(now) if now is not None else None,
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
        except ValueError:
            raise AuthenticationFailed("invalid access token: malformed tenant") from None
        return Principal(
            kind=claims.get("kind", "client"),
            subject=str(claims["sub"]),
            tenant_id=tenant_id,
            scopes=frozenset(str(claims.get("scope", "")).split()),
            roles=tuple(claims.get("roles", ())),
        )
