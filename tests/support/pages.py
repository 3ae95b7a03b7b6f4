"""Driving pages over HTTP in tests: an HTTPS client (page cookies are ``Secure``), CSRF-carrying form posts,
and signing a customer, staff member or operator in without going through a sign-in page.

A pytest plugin (``pytest_plugins`` in ``conftest.py``):

* ``pages``: an ``httpx.AsyncClient`` on ``https://testserver.local`` speaking ASGI to the test's app; it keeps
  cookies and does not follow redirects.
* ``await post_form(pages, url, data, headers=...)``: posts ``data`` as a form with the CSRF token, as a
  browser submitting a page's form would.
* ``await sign_in_customer(pages, tenant, customer_id)``, ``await sign_in_staff(pages, tenant, *roles)`` (returns
  the staff id), ``await sign_in_operator(pages)``: open a page session directly and put its cookie in the
  client's jar (on ``/t/{slug}`` for tenants, ``/ops`` for the operator).

The sign-in pages themselves are tested with their own tests; everything else starts signed in.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar.middleware.csrf import generate_csrf_token

from aftersales.accounts.services import create_operator, create_staff
from aftersales.identity import page_sessions
from aftersales.identity.models import Customer
from aftersales.identity.services import customer_principal, staff_principal
from aftersales.runtime import Runtime
from aftersales.web.page_auth import CSRF_COOKIE, OPERATOR_COOKIE, OPERATOR_PATH, SESSION_COOKIE, csrf_config

PAGES_URL = "https://testserver.local"
PAGES_DOMAIN = "testserver.local"


@pytest.fixture
async def pages(runtime: Runtime, app_cache: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTPS client for pages (Secure cookies travel), in the test's event loop. It starts with a CSRF
    cookie, as a browser has after its first page (that pages set it is tested in ``tests/pages``)."""
    transport = httpx.ASGITransport(app=app_cache.app_for(runtime))
    async with httpx.AsyncClient(transport=transport, base_url=PAGES_URL) as client:
        _set_cookie(client, CSRF_COOKIE, generate_csrf_token(csrf_config(runtime).secret), "/")
        yield client


def csrf_token(client: httpx.AsyncClient) -> str:
    """The client's CSRF token (the value of its CSRF cookie)."""
    token = client.cookies.get(CSRF_COOKIE)
    assert token, "the client has no CSRF cookie"
    return token


async def post_form(client: httpx.AsyncClient, url: str, data: dict[str, Any] | None = None, *,
                    files: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    """POST a page form with its CSRF token (``files`` makes it multipart)."""
    return await client.post(url, data={**(data or {}), "_csrf_token": csrf_token(client)}, files=files,
                             headers=headers)


def _set_cookie(client: httpx.AsyncClient, name: str, value: str, path: str) -> None:
    client.cookies.set(name, value, domain=PAGES_DOMAIN, path=path)


@pytest.fixture
def sign_in_customer(runtime: Runtime) -> Any:
    """``await sign_in_customer(pages, tenant, customer_id=None)`` → the customer id (a new customer without one)."""

    async def sign_in(client: httpx.AsyncClient, tenant: Any, customer_id: uuid.UUID | None = None) -> uuid.UUID:
        async with runtime.db.transaction(tenant.id) as session:
            if customer_id is None:
                customer = Customer(name="Page Customer", email=f"page-{os.urandom(3).hex()}@example.com")
                session.add(customer)
                await session.flush()
            else:
                customer = await session.get(Customer, (tenant.id, customer_id))
                assert customer is not None, "no such customer"
            opened = await page_sessions.open_session(session, principal=customer_principal(customer), method="code")
            customer_id = customer.id
        _set_cookie(client, SESSION_COOKIE, opened.token, f"/t/{tenant.slug}")
        return customer_id

    return sign_in


@pytest.fixture
def sign_in_staff(runtime: Runtime) -> Any:
    """``await sign_in_staff(pages, tenant, "agent", provider_id=None)`` → the new staff member's id."""

    async def sign_in(client: httpx.AsyncClient, tenant: Any, *roles: str,
                      provider_id: uuid.UUID | None = None) -> uuid.UUID:
        async with runtime.db.transaction(tenant.id) as session:
            email = f"{'-'.join(roles)}-{os.urandom(3).hex()}@{tenant.slug}-demo.com"
            staff = await create_staff(session, email=email, name="Page Staff", roles=list(roles), password=None,
                                       provider_id=provider_id)
            opened = await page_sessions.open_session(session, principal=staff_principal(staff), method="password")
            staff_id = staff.id
        _set_cookie(client, SESSION_COOKIE, opened.token, f"/t/{tenant.slug}")
        return staff_id

    return sign_in


@pytest.fixture
def sign_in_operator(runtime: Runtime) -> Any:
    """``await sign_in_operator(pages)`` → the new operator's id."""

    async def sign_in(client: httpx.AsyncClient) -> uuid.UUID:
        async with runtime.db.transaction(None) as session:
            operator = await create_operator(session, email=f"ops-{os.urandom(3).hex()}@platform-demo.com",
                                             name="Page Operator", password=os.urandom(12).hex())
            opened = await page_sessions.open_operator_session(session, operator_id=operator.id)
            operator_id = operator.id
        _set_cookie(client, OPERATOR_COOKIE, opened.token, OPERATOR_PATH)
        return operator_id

    return sign_in
