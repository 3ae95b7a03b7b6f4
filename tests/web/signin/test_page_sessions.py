"""Signed-in browsers: session cookies, CSRF on page forms, sign-out, expiry, the sign-in redirect, and that a
session never crosses into another tenant or into the API."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import httpx
import pytest
from litestar import Request, Router, get
from sqlalchemy import func, select

from aftersales.accounts.services import create_staff
from aftersales.app import create_app
from aftersales.db.base import utcnow
from aftersales.identity import page_sessions
from aftersales.identity.models import PageSession, StaffUser
from aftersales.identity.services import staff_principal
from aftersales.warranty.models import SerialCheck
from aftersales.web.page_auth import ViewerDep, safe_next
from aftersales.web.page_controller import PageController
from aftersales.web.portal.rendering import TENANT_PATH
from support.pages import PAGES_URL, post_form

SIGN_OUT_LINK = 'action="/t/acme/sign-out"'


def _set_cookie_headers(response: httpx.Response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.get_list("set-cookie")}


async def test_a_page_sets_an_http_only_secure_csrf_cookie(runtime, make_tenant):
    await make_tenant("acme")
    from aftersales.testing.apps import AppCache

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=AppCache().app_for(runtime)),
                                 base_url=PAGES_URL) as fresh:
        page = await fresh.get("/t/acme/")
    cookie = _set_cookie_headers(page)["as_csrf"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    assert 'name="_csrf_token"' in page.text and "x-csrftoken" in page.text


async def test_a_form_post_without_the_csrf_token_is_refused_and_changes_nothing(pages, runtime, make_tenant):
    acme = await make_tenant("acme")
    refused = await pages.post("/t/acme/check", data={"serial": "490154203237518"})
    forged = await pages.post("/t/acme/check", data={"serial": "490154203237518", "_csrf_token": "forged"})
    for response in (refused, forged):
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("text/html")
    async with runtime.db.transaction(acme.id) as session:
        assert await session.scalar(select(func.count()).select_from(SerialCheck)) == 0
    accepted = await post_form(pages, "/t/acme/check", {"serial": "490154203237518"})
    assert accepted.status_code == 200


async def test_signed_in_customer_sees_the_way_out_and_signing_out_ends_the_session(pages, runtime, make_tenant,
                                                                                      sign_in_customer):
    acme = await make_tenant("acme")
    await sign_in_customer(pages, acme)
    token = pages.cookies.get("as_session")
    assert SIGN_OUT_LINK in (await pages.get("/t/acme/")).text
    out = await post_form(pages, "/t/acme/sign-out")
    assert out.status_code == 303 and out.headers["location"] == "/t/acme/"
    cleared = _set_cookie_headers(out)["as_session"].lower()
    assert "max-age=0" in cleared and "path=/t/acme" in cleared
    # a copy of the old cookie no longer signs anyone in
    pages.cookies.set("as_session", token, domain="testserver.local", path="/t/acme")
    assert SIGN_OUT_LINK not in (await pages.get("/t/acme/")).text
    async with runtime.db.transaction(acme.id) as session:
        record = await session.scalar(select(PageSession))
    assert record.ended_at is not None
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest() != token


async def test_a_session_of_one_tenant_signs_no_one_in_on_another(pages, make_tenant, sign_in_customer):
    acme = await make_tenant("acme")
    await make_tenant("beta")
    await sign_in_customer(pages, acme)
    token = pages.cookies.get("as_session")
    pages.cookies.set("as_session", token, domain="testserver.local", path="/t/beta")
    beta = await pages.get("/t/beta/")
    assert beta.status_code == 200
    assert 'action="/t/beta/sign-out"' not in beta.text and 'href="/t/beta/sign-in"' in beta.text


async def test_the_api_ignores_page_cookies(pages, client, make_tenant, sign_in_customer):
    acme = await make_tenant("acme")
    await sign_in_customer(pages, acme)
    response = await pages.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_sessions_expire_and_end_for_inactive_staff(runtime, make_tenant):
    acme = await make_tenant("acme")
    start = utcnow()
    async with runtime.db.transaction(acme.id) as session:
        staff = await create_staff(session, email="agent@acme-demo.com", name="Agent", roles=["agent"], password=None)
        opened = await page_sessions.open_session(session, principal=staff_principal(staff), method="password",
                                                  now=start)
    last_second = start + timedelta(hours=12) - timedelta(seconds=1)
    async with runtime.db.transaction(acme.id) as session:
        assert (await page_sessions.resolve_session(session, opened.token, now=last_second)).subject == str(staff.id)
        assert await page_sessions.resolve_session(session, opened.token, now=start + timedelta(hours=12)) is None
        (await session.get(StaffUser, (acme.id, staff.id))).active = False
    async with runtime.db.transaction(acme.id) as session:
        assert await page_sessions.resolve_session(session, opened.token, now=start) is None


async def test_signing_a_person_out_everywhere(runtime, make_tenant):
    acme = await make_tenant("acme")
    async with runtime.db.transaction(acme.id) as session:
        staff = await create_staff(session, email="agent@acme-demo.com", name="Agent", roles=["agent"], password=None)
        tokens = [(await page_sessions.open_session(session, principal=staff_principal(staff), method="sso")).token
                  for _ in range(2)]
        assert await page_sessions.end_sessions_of(session, kind="staff", subject=staff.id) == 2
        assert [await page_sessions.resolve_session(session, token) for token in tokens] == [None, None]


async def test_operator_signs_out_of_the_operator_console(pages, runtime, sign_in_operator):
    await sign_in_operator(pages)
    token = pages.cookies.get("as_ops")
    out = await post_form(pages, "/ops/sign-out")
    assert out.status_code == 303 and out.headers["location"] == "/ops/sign-in"
    async with runtime.db.transaction(None) as session:
        assert await page_sessions.resolve_operator_session(session, token) is None


@pytest.mark.parametrize("target, expected", [
    ("/t/acme/my/devices?x=1", "/t/acme/my/devices?x=1"),
    ("//evil.example/", "/fallback"),
    ("https://evil.example/", "/fallback"),
    ("/\\evil.example", "/fallback"),
    ("", "/fallback"),
    (None, "/fallback"),
])
def test_after_sign_in_only_paths_on_this_site_are_followed(target, expected):
    assert safe_next(target, "/fallback") == expected


@pytest.fixture
async def guarded(runtime: Any) -> Any:
    """The app with two pages that need a customer and a staff member with ``refunds:approve``."""

    class Guarded(PageController):
        @get("/needs-customer")
        async def needs_customer(self, request: Request[Any, Any, Any], viewer: ViewerDep) -> str:
            return f"customer {viewer.customer().subject}"

        @get("/console/needs-approver")
        async def needs_approver(self, request: Request[Any, Any, Any], viewer: ViewerDep) -> str:
            return f"staff {viewer.staff('refunds:approve').subject}"

    app = create_app(runtime)
    app.register(Router(TENANT_PATH, route_handlers=[Guarded]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PAGES_URL) as client:
        yield client


async def test_a_page_that_needs_a_sign_in_sends_the_browser_there_and_back(guarded, make_tenant,
                                                                              sign_in_customer, sign_in_staff):
    acme = await make_tenant("acme")
    anonymous = await guarded.get("/t/acme/needs-customer?tab=2")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/t/acme/sign-in?next=%2Ft%2Facme%2Fneeds-customer%3Ftab%3D2"
    htmx = await guarded.get("/t/acme/needs-customer", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.headers["hx-redirect"].startswith("/t/acme/sign-in?next=")
    console = await guarded.get("/t/acme/console/needs-approver")
    assert console.headers["location"].startswith("/t/acme/console/sign-in?next=")
    customer_id = await sign_in_customer(guarded, acme)
    assert (await guarded.get("/t/acme/needs-customer")).text == f"customer {customer_id}"
    # a customer is not staff: the console still asks for a staff sign-in
    assert (await guarded.get("/t/acme/console/needs-approver")).status_code == 303
    await sign_in_staff(guarded, acme, "agent")
    refused = await guarded.get("/t/acme/console/needs-approver")
    assert refused.status_code == 403 and "refunds:approve" in refused.text
    approver = await sign_in_staff(guarded, acme, "finance")
    assert (await guarded.get("/t/acme/console/needs-approver")).text == f"staff {approver}"
