"""Sign-in spraying: one client may try at most 20 sign-ins to a tenant in 10 minutes, whatever the accounts, on
the API and the pages (staff password, a customer's code typed back, the SSO answer), counted atomically; and
one-time codes asked for at once from one client are limited exactly too."""

from __future__ import annotations

import asyncio

import httpx

from aftersales.accounts.one_time_codes import SENDS_PER_CLIENT
from aftersales.accounts.sign_in_limits import ATTEMPTS_PER_CLIENT
from aftersales.app import create_app
from support.pages import post_form


def client_at(runtime, address):
    transport = httpx.ASGITransport(app=create_app(runtime), client=(address, 4321))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


async def _login(client, slug, n):
    return await client.post(f"/t/{slug}/auth/login", json={"email": f"guess{n}@alpha-demo.com", "password": "x"})


async def test_forty_emails_from_one_address_are_refused_after_twenty_with_retry_after(client, runtime, make_tenant):
    await make_tenant("alpha")
    await make_tenant("beta")
    answers = [await _login(client, "alpha", n) for n in range(40)]
    assert [a.status_code for a in answers] == [401] * ATTEMPTS_PER_CLIENT + [429] * (40 - ATTEMPTS_PER_CLIENT)
    refused = answers[-1]
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(refused.headers["Retry-After"]) <= 600
    assert (await _login(client, "beta", 0)).status_code == 401  # another tenant counts on its own
    async with client_at(runtime, "10.0.0.2") as other:
        assert (await _login(other, "alpha", 0)).status_code == 401  # and another client


async def test_50_simultaneous_sign_ins_from_one_client_get_exactly_20_checked(client, make_tenant):
    await make_tenant("alpha")
    answers = await asyncio.gather(*(_login(client, "alpha", n) for n in range(50)))
    statuses = [a.status_code for a in answers]
    assert (statuses.count(401), statuses.count(429)) == (ATTEMPTS_PER_CLIENT, 50 - ATTEMPTS_PER_CLIENT)


async def test_the_staff_sign_in_page_is_limited_per_client_with_retry_after(pages, make_tenant):
    await make_tenant("acme")
    for n in range(ATTEMPTS_PER_CLIENT):
        wrong = await post_form(pages, "/t/acme/console/sign-in", {"email": f"g{n}@acme-demo.com", "password": "x"})
        assert wrong.status_code == 422, n
    refused = await post_form(pages, "/t/acme/console/sign-in", {"email": "last@acme-demo.com", "password": "x"})
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 600
    assert "Too many sign-in attempts from your network. Try again in" in refused.text


async def test_typing_codes_back_counts_as_signing_in(pages, make_tenant):
    await make_tenant("acme")
    attempt = "0190a0a0-0000-7000-8000-000000000000"  # no such code: each try is refused as expired
    for _ in range(ATTEMPTS_PER_CLIENT):
        tried = await post_form(pages, "/t/acme/sign-in/code", {"attempt": attempt, "code": "123456"})
        assert tried.status_code == 422
    refused = await post_form(pages, "/t/acme/sign-in/code", {"attempt": attempt, "code": "123456"})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "Too many sign-in attempts" in refused.text


async def test_the_sso_answer_counts_as_signing_in(pages, make_tenant):
    await make_tenant("acme")
    for _ in range(ATTEMPTS_PER_CLIENT):
        assert (await pages.get("/t/acme/console/sso/callback?state=s&code=c")).status_code == 403
    refused = await pages.get("/t/acme/console/sso/callback?state=s&code=c")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1


async def test_50_simultaneous_code_requests_from_one_client_send_exactly_20(pages, make_tenant):
    await make_tenant("acme")
    answers = await asyncio.gather(*(post_form(pages, "/t/acme/sign-in", {"contact": f"p{n}@example.com"})
                                     for n in range(50)))
    statuses = [a.status_code for a in answers]
    assert (statuses.count(303), statuses.count(429)) == (SENDS_PER_CLIENT, 50 - SENDS_PER_CLIENT)
