"""Staff sign in through their company's OpenID Connect provider (a real ``oidc-provider-mock`` process): state,
nonce and PKCE S256 on the way out; state, issuer, signature, audience and nonce checked on the way back; only
active staff of this tenant get in."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select

from aftersales.accounts.services import create_staff
from aftersales.identity.models import PageSession, SsoAttempt
from aftersales.testing.network import serving

SECRET_ENV = "AFTERSALES_TEST_SSO_SECRET"


@pytest.fixture(autouse=True)
def sso_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, "the-client-secret")


def _sso(issuer: str, client_id: str = "aftersales-console") -> dict[str, str]:
    return {"issuer": issuer, "client_id": client_id, "client_secret_env": SECRET_ENV}


async def _staff(runtime, tenant, email: str, *, active: bool = True) -> None:
    async with runtime.db.transaction(tenant.id) as session:
        staff = await create_staff(session, email=email, name="Leila Karimi", roles=["agent"], password=None)
        staff.active = active


async def _start(pages, slug: str, next_path: str | None = None) -> httpx.Response:
    started = await pages.get(f"/t/{slug}/console/sso/start" + (f"?next={next_path}" if next_path else ""))
    assert started.status_code == 303, started.text[:400]
    return started


def _callback(location: str) -> str:
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


async def test_staff_sign_in_through_their_company_provider(runtime, pages, make_tenant, oidc_provider,
                                                           sign_in_at_provider):
    acme = await make_tenant("acme", sso=_sso(oidc_provider.issuer))
    await _staff(runtime, acme, "leila@acme-demo.com")

    form = await pages.get("/t/acme/console/sign-in")
    assert "Sign in with your company account" in form.text
    started = await _start(pages, "acme", "/t/acme/console/requests")
    authorize = urlsplit(started.headers["location"])
    query = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    assert f"{authorize.scheme}://{authorize.netloc}" == oidc_provider.issuer
    assert query["client_id"] == "aftersales-console" and query["response_type"] == "code"
    assert query["redirect_uri"] == "https://testserver.local/t/acme/console/sso/callback"
    assert query["code_challenge_method"] == "S256" and query["nonce"] and query["state"]
    assert "openid" in query["scope"].split()
    assert "as_sso=" in started.headers["set-cookie"] and "HttpOnly" in started.headers["set-cookie"]
    async with runtime.db.session(acme.id) as session:
        attempt = await session.scalar(select(SsoAttempt))
    challenge = base64.urlsafe_b64encode(hashlib.sha256(attempt.code_verifier.encode()).digest()).rstrip(b"=")
    assert query["code_challenge"] == challenge.decode()  # the verifier sent with the code matches the challenge
    assert attempt.nonce == query["nonce"] and query["state"] not in attempt.state_hash

    back = await sign_in_at_provider(started.headers["location"], "leila@acme-demo.com")
    signed_in = await pages.get(_callback(back))
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/t/acme/console/requests"
    async with runtime.db.session(acme.id) as session:
        (opened,) = list(await session.scalars(select(PageSession)))
    assert (opened.kind, opened.method) == ("staff", "sso")

    replayed = await pages.get(_callback(back))  # the same answer again: its state is used up
    assert replayed.status_code == 403 and "expired or was started in another browser" in replayed.text


async def test_a_callback_whose_state_is_not_this_browsers_is_refused(runtime, pages, make_tenant, oidc_provider,
                                                                     sign_in_at_provider):
    acme = await make_tenant("acme", sso=_sso(oidc_provider.issuer))
    await _staff(runtime, acme, "leila@acme-demo.com")
    started = await _start(pages, "acme")
    back = await sign_in_at_provider(started.headers["location"], "leila@acme-demo.com")

    pages.cookies.delete("as_sso")  # a victim's browser, handed the attacker's callback
    refused = await pages.get(_callback(back))
    assert refused.status_code == 403 and "expired or was started in another browser" in refused.text
    tampered = _callback(back).replace("state=", "state=x")
    assert (await pages.get(tampered)).status_code == 403
    async with runtime.db.session(acme.id) as session:
        assert await session.scalar(select(PageSession)) is None


async def test_an_id_token_with_another_sign_ins_nonce_is_refused(runtime, pages, make_tenant, oidc_provider,
                                                                 sign_in_at_provider):
    acme = await make_tenant("acme", sso=_sso(oidc_provider.issuer))
    await _staff(runtime, acme, "leila@acme-demo.com")
    first = await _start(pages, "acme")
    second = await _start(pages, "acme")  # the browser's state cookie is now the second one's
    code_of_first = parse_qs(urlsplit(await sign_in_at_provider(first.headers["location"], "leila@acme-demo.com")).query)
    second_state = parse_qs(urlsplit(second.headers["location"]).query)["state"][0]

    refused = await pages.get("/t/acme/console/sso/callback",
                              params={"state": second_state, "code": code_of_first["code"][0]})
    assert refused.status_code == 403
    assert "did not confirm who you are" in refused.text
    async with runtime.db.session(acme.id) as session:
        assert await session.scalar(select(PageSession)) is None


@pytest.fixture
def impostor(oidc_provider) -> Iterator[Any]:
    """A server whose discovery document claims an issuer of its own choosing but sends people to the real
    provider (a mistyped or hijacked issuer URL)."""
    claimed: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            real = httpx.get(f"{oidc_provider.issuer}/.well-known/openid-configuration").json()
            body = json.dumps({**real, "issuer": claimed["issuer"]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Handler) as url:
        yield url, claimed


async def test_a_discovery_document_naming_another_issuer_is_refused(pages, make_tenant, impostor, oidc_provider):
    url, claimed = impostor
    claimed["issuer"] = oidc_provider.issuer  # the document is the real provider's, fetched from elsewhere
    await make_tenant("acme", sso=_sso(url))
    refused = await pages.get("/t/acme/console/sso/start")
    assert refused.status_code == 502
    assert "not the one set up for this company" in refused.text


async def test_an_id_token_from_another_issuer_is_refused(runtime, pages, make_tenant, impostor, oidc_provider,
                                                         sign_in_at_provider):
    url, claimed = impostor
    claimed["issuer"] = url  # the document agrees with the manifest, but the tokens come from the real issuer
    acme = await make_tenant("acme", sso=_sso(url))
    await _staff(runtime, acme, "leila@acme-demo.com")
    started = await _start(pages, "acme")
    back = await sign_in_at_provider(started.headers["location"], "leila@acme-demo.com")
    refused = await pages.get(_callback(back))
    assert refused.status_code == 403 and "did not confirm who you are" in refused.text


@pytest.mark.parametrize(("email", "active"), [("stranger@acme-demo.com", True), ("former@acme-demo.com", False)])
async def test_only_an_active_staff_member_of_this_company_gets_in(runtime, pages, make_tenant, oidc_provider,
                                                                  sign_in_at_provider, email, active):
    acme = await make_tenant("acme", sso=_sso(oidc_provider.issuer))
    await _staff(runtime, acme, "former@acme-demo.com", active=False)
    started = await _start(pages, "acme")
    back = await sign_in_at_provider(started.headers["location"], email)
    refused = await pages.get(_callback(back))
    assert refused.status_code == 403 and "not an active staff account here" in refused.text
    async with runtime.db.session(acme.id) as session:
        assert await session.scalar(select(PageSession)) is None


async def test_another_tenants_callback_cannot_sign_into_this_one(runtime, pages, make_tenant, oidc_provider,
                                                                 sign_in_at_provider):
    acme = await make_tenant("acme", sso=_sso(oidc_provider.issuer))
    globex = await make_tenant("globex", sso=_sso(oidc_provider.issuer))
    await _staff(runtime, acme, "leila@acme-demo.com")
    await _staff(runtime, globex, "leila@acme-demo.com")  # the same address is staff at both companies
    started = await _start(pages, "globex")
    back = await sign_in_at_provider(started.headers["location"], "leila@acme-demo.com")
    state_cookie = pages.cookies.get("as_sso", path="/t/globex/console/sso")

    pages.cookies.set("as_sso", state_cookie, domain="testserver.local", path="/t/acme/console/sso")
    crossed = await pages.get(_callback(back).replace("/t/globex/", "/t/acme/"))
    assert crossed.status_code == 403 and "expired or was started in another browser" in crossed.text
    async with runtime.db.session(acme.id) as session:
        assert await session.scalar(select(PageSession)) is None


async def test_a_company_without_a_provider_has_no_sso_button_and_no_sso(pages, make_tenant):
    await make_tenant("acme")
    assert "Sign in with your company account" not in (await pages.get("/t/acme/console/sign-in")).text
    refused = await pages.get("/t/acme/console/sso/start")
    assert refused.status_code == 404 and "no company sign-in set up" in refused.text


async def test_a_manifest_names_the_secrets_variable_never_the_secret(make_tenant):
    from aftersales.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        await make_tenant("acme", sso={"issuer": "https://login.acme-demo.com", "client_id": "x",
                                       "client_secret": "plain-text"})
    assert {e.field for e in refused.value.errors} >= {"sso.client_secret", "sso.client_secret_env"}
