"""Access tokens: the client-credentials flow, strict verification, and the tenant bound into the token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey

from aftersales.accounts.services import create_api_client
from aftersales.identity.principals import Principal


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(runtime, tenant, **overrides):
    now = int(time.time())
    claims = {"iss": runtime.tokens.issuer, "aud": runtime.tokens.audience, "sub": "intruder", "iat": now,
              "exp": now + 600, "kind": "client", "scope": "tenant:read", "tid": str(tenant.id)}
    claims.update(overrides)
    return claims


async def _client(runtime, tenant, scopes=("tenant:read", "serials:read")):
    async with runtime.db.transaction(None) as s:
        api_client, secret = await create_api_client(s, tenant_id=tenant.id, name="ERP", scopes=list(scopes))
    return api_client.client_id, secret


async def test_client_credentials_token_reads_its_own_tenant(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    client_id, secret = await _client(runtime, alpha)
    response = await client.post("/oauth/token", data={"grant_type": "client_credentials", "scope": "tenant:read"},
                                 auth=(client_id, secret))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "tenant:read" and body["expires_in"] == 900
    assert response.headers["cache-control"] == "no-store"
    me = await client.get("/api/v1/tenant/", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["slug"] == "alpha"


async def test_the_token_is_verifiable_with_the_published_jwks(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    client_id, secret = await _client(runtime, alpha)
    token = (await client.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                    "client_secret": secret})).json()["access_token"]
    jwks = (await client.get("/.well-known/jwks.json")).json()
    public = ECKey.import_key(jwks["keys"][0])
    decoded = jwt.decode(token, public, algorithms=["ES256"])
    assert decoded.claims["tid"] == str(alpha.id)
    assert "d" not in jwks["keys"][0], "the private part of the key must never be published"


async def test_wrong_secret_unknown_client_and_wrong_grant_are_refused(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    client_id, _ = await _client(runtime, alpha)
    wrong = await client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, "guess"))
    unknown = await client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=("asc_nobody", "x"))
    grant = await client.post("/oauth/token", data={"grant_type": "password"}, auth=(client_id, "guess"))
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    assert (unknown.status_code, unknown.json()["error"]) == (401, "invalid_client")
    assert (grant.status_code, grant.json()["error"]) == (400, "unsupported_grant_type")
    assert wrong.headers["content-type"].startswith("application/problem+json")


async def test_a_scope_the_client_was_not_granted_is_refused(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    client_id, secret = await _client(runtime, alpha, scopes=("tenant:read",))
    response = await client.post("/oauth/token", data={"grant_type": "client_credentials", "scope": "staff:write"},
                                 auth=(client_id, secret))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_scope")


@pytest.mark.parametrize("defect", ["wrong_audience", "wrong_issuer", "expired", "no_expiry", "alg_none",
                                    "hs256_with_public_key", "other_key", "tampered"])
async def test_defective_tokens_are_refused(client, runtime, make_tenant, defect):
    alpha = await make_tenant("alpha")
    claims = _claims(runtime, alpha)
    key = runtime.tokens.key
    if defect == "wrong_audience":
        claims["aud"] = "https://elsewhere.example/api"
    elif defect == "wrong_issuer":
        claims["iss"] = "https://evil.example"
    elif defect == "expired":
        claims["exp"] = int(time.time()) - 120
    elif defect == "no_expiry":
        del claims["exp"]
    elif defect == "other_key":
        key = ECKey.generate_key("P-256", private=True)

    if defect == "alg_none":
        token = f"{_b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{_b64(json.dumps(claims).encode())}."
    elif defect == "hs256_with_public_key":
        public_pem = runtime.tokens.key.as_pem(private=False)
        signing_input = f"{_b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{_b64(json.dumps(claims).encode())}"
        signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
        token = f"{signing_input}.{_b64(signature)}"
    else:
        token = jwt.encode({"alg": "ES256"}, claims, key)
    if defect == "tampered":
        header, payload, signature = token.split(".")
        forged = json.loads(base64.urlsafe_b64decode(payload + "=="))
        forged["scope"] = "tenant:read staff:write"
        token = f"{header}.{_b64(json.dumps(forged).encode())}.{signature}"

    response = await client.get("/api/v1/tenant/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, f"{defect}: {response.text}"
    assert response.json()["title"] == "Authentication failed"
    assert "bearer" in response.headers["www-authenticate"].lower()


async def test_a_genuine_token_of_tenant_a_reads_a_and_nothing_steers_it_to_b(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    await make_tenant("bravo")
    token = runtime.tokens.issue(Principal("client", "erp", alpha.id, frozenset({"tenant:read"})))
    headers = {"Authorization": f"Bearer {token}", "X-Tenant": "bravo", "Host": "bravo.aftersales.test"}
    response = await client.get("/api/v1/tenant/", headers=headers)
    assert response.status_code == 200 and response.json()["slug"] == "alpha"


async def test_a_token_without_the_scope_is_forbidden(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    token = runtime.tokens.issue(Principal("client", "erp", alpha.id, frozenset({"serials:read"})))
    response = await client.get("/api/v1/tenant/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403 and "tenant:read" in response.json()["detail"]


async def test_no_token_means_401_and_a_malformed_header_too(client):
    assert (await client.get("/api/v1/tenant/")).status_code == 401
    assert (await client.get("/api/v1/tenant/", headers={"Authorization": "Token abc"})).status_code == 401


async def test_a_suspended_tenants_tokens_stop_working(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    token = runtime.tokens.issue(Principal("client", "erp", alpha.id, frozenset({"tenant:read"})))
    await make_tenant("alpha", status="suspended")
    response = await client.get("/api/v1/tenant/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403 and "suspended" in response.json()["detail"]


def _service_at(runtime, clock):
    from aftersales.identity.tokens import TokenService

    return TokenService(key=runtime.tokens.key, issuer=runtime.tokens.issuer, audience=runtime.tokens.audience,
                        clock=clock)


async def test_a_verified_token_is_refused_once_it_expires(runtime, make_tenant):
    from aftersales.errors import AuthenticationFailed

    alpha = await make_tenant("alpha")
    now = [time.time()]
    tokens = _service_at(runtime, lambda: now[0])
    token = tokens.issue(Principal("client", "erp", alpha.id, frozenset({"tenant:read"})), now=now[0])
    assert tokens.verify(token).tenant_id == alpha.id
    now[0] += tokens.lifetime_seconds - 1
    assert tokens.verify(token).tenant_id == alpha.id
    now[0] += 1 + 31  # past exp and its 30 s leeway
    with pytest.raises(AuthenticationFailed, match="expired"):
        tokens.verify(token)


async def test_a_token_changed_after_its_genuine_form_was_verified_is_refused(runtime, make_tenant):
    from aftersales.errors import AuthenticationFailed

    alpha = await make_tenant("alpha")
    token = runtime.tokens.issue(Principal("client", "erp", alpha.id, frozenset({"tenant:read"})))
    runtime.tokens.verify(token)
    header, payload, signature = token.split(".")
    forged = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged["scope"] = "tenant:read staff:write"
    with pytest.raises(AuthenticationFailed):
        runtime.tokens.verify(f"{header}.{_b64(json.dumps(forged).encode())}.{signature}")
    with pytest.raises(AuthenticationFailed):
        runtime.tokens.verify(token + "A")


async def test_a_token_used_before_its_tenant_is_suspended_stops_working(client, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    token = runtime.tokens.issue(Principal("client", "erp", alpha.id, frozenset({"tenant:read"})))
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/api/v1/tenant/", headers=headers)).status_code == 200
    await make_tenant("alpha", status="suspended")
    response = await client.get("/api/v1/tenant/", headers=headers)
    assert response.status_code == 403 and "suspended" in response.json()["detail"]


def test_the_verified_token_cache_keeps_at_most_its_capacity():
    from aftersales.identity.tokens import VerifiedTokens

    kept = VerifiedTokens(capacity=2)
    principal = Principal("client", "erp", None)
    for token in ("a", "b", "c"):
        kept.keep(token, expires_at=100.0, principal=principal)
    assert kept.get("a", now=50.0) is None  # the oldest made room
    assert kept.get("c", now=50.0) is principal and kept.get("c", now=100.0) is None
