"""Browser tests: the real application served over HTTP, driven by Debian's Chromium through Playwright.

A pytest plugin (``pytest_plugins`` in ``conftest.py``). One server and one browser per session; one context and
page per test. The Playwright async API runs on the tests' session event loop, so browser tests and the
async database tests share one session without fighting over a running loop:

* ``live_server``: uvicorn serving :func:`aftersales.app.create_app` on a free port of 127.0.0.1 from a thread,
  over a SQLite database migrated and filled by ``make demo``'s own seeding (the five seed tenants, their demo
  units, requests and marketplace), talking to a localstripe server (``support.stripe_server.localstripe``).
* ``await open_phone(lang=..., javascript=True, expected_statuses=())``: a fresh phone-sized page (375 × 740,
  touch). Every console error, uncaught exception, failed request and response of status 400 or above on it fails
  the test, except the statuses the journey provokes on purpose (``expected_statuses=(422,)``: a form with a
  mistake).
* ``await screenshot(page, name)``: saves ``tests/artifacts/<name>.png`` (git-ignored).
* ``await sign_in_browser(page, "mehr", email="customer@mehr-demo.com")``: signs the page's browser in as that
  demo customer or staff member (``kind="staff"``), or as the demo operator (``kind="operator"``, no slug),
  by opening a page session in the server's database and giving the browser its cookie. Journeys that are
  about signing in use the sign-in pages instead.

Chromium is ``/usr/bin/chromium`` (``.ci/run`` installs it; Playwright's own browser download is never used).
Without it the browser tests skip with the reason, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from aftersales.app import create_app
from aftersales.demo.seed import seed_demo
from aftersales.demo.units import seed_demo_units
from aftersales.plugins import PluginRegistry
from aftersales.runtime import build_runtime
from aftersales.settings import Settings
from aftersales.tenancy.models import Tenant

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking"]
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
IN_CI = os.environ.get("CI", "").lower() == "true"


@dataclass(frozen=True)
class LiveServer:
    """The served application: its base URL and each demo tenant's demo serials (the first is registered)."""

    url: str
    serials: dict[str, list[str]]
    settings: Settings
    plugins: PluginRegistry


async def _seed(settings: Settings, plugins: PluginRegistry) -> dict[str, list[str]]:
    runtime = build_runtime(settings, plugins=plugins)
    try:
        await seed_demo(runtime, password=os.urandom(8).hex())
        async with runtime.db.platform_session() as session:
            tenants = list(await session.scalars(select(Tenant)))
        return {tenant.slug: await seed_demo_units(runtime, tenant) for tenant in tenants}
    finally:
        await runtime.close()


@pytest.fixture(scope="session")
async def live_server(tmp_path_factory: pytest.TempPathFactory, base_settings: Settings, sqlite_template: Path,
                      plugins: PluginRegistry, localstripe: str) -> AsyncIterator[LiveServer]:
    """The application on a free local port, with the demo data, for the whole session; its Stripe is a
    localstripe server (the pay journeys load Stripe.js from it)."""
    path = tmp_path_factory.mktemp("browser") / "aftersales.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite+aiosqlite:///{path}"
    settings = replace(base_settings, database_url=url, migration_database_url=url, embedded_worker=False,
                       stripe_api_base=localstripe)
    serials = await _seed(settings, plugins)

    import uvicorn

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)  # bound before the server starts: the browser's first request waits in the backlog
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(build_runtime(settings, plugins=plugins)),
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(url=f"http://127.0.0.1:{port}", serials=serials, settings=settings, plugins=plugins)
    server.should_exit = True
    thread.join(timeout=30)
    listener.close()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    """One headless Chromium for the session."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
        if IN_CI:
            pytest.fail(f"the browser tests need Chromium in CI: {reason}")
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                    args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
async def open_phone(browser: Any, live_server: LiveServer) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """``open_phone(lang="fa", javascript=True)``: a new phone-sized page whose browser asks for ``lang``; any
    console error, page error, failed request or error response on it fails the test."""
    contexts: list[Any] = []
    problems: list[str] = []

    def watch(page: Any, expected: tuple[int, ...]) -> None:
        def console(message: Any) -> None:
            answered = any(f"status of {status} " in message.text for status in expected)
            if message.type == "error" and not answered:
                problems.append(f"console error: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.method} {r.url}: {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and r.status not in expected
                and problems.append(f"HTTP {r.status}: {r.url}"))

    async def open_page(lang: str = "en", javascript: bool = True, expected_statuses: tuple[int, ...] = ()) -> Any:
        """``expected_statuses``: error statuses the journey provokes on purpose (a form sent back with 422)."""
        context = await browser.new_context(**PHONE, locale=lang, java_script_enabled=javascript,
                                            base_url=live_server.url)
        contexts.append(context)
        page = await context.new_page()
        watch(page, expected_statuses)
        return page

    yield open_page
    for context in contexts:
        await context.close()
    assert problems == [], "the page had errors"


@pytest.fixture
def screenshot() -> Callable[[Any, str], Awaitable[Path]]:
    """``await screenshot(page, "check-genuine-fa")`` saves the whole page under ``tests/artifacts/``."""

    async def save(page: Any, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def sign_in_browser(live_server: LiveServer) -> Callable[..., Awaitable[None]]:
    """``await sign_in_browser(page, slug, email=..., kind="customer"|"staff"|"operator")``."""
    from aftersales.identity import page_sessions
    from aftersales.identity.models import Customer, Operator, StaffUser
    from aftersales.identity.services import customer_principal, staff_principal
    from aftersales.web.page_auth import OPERATOR_COOKIE, OPERATOR_PATH, SESSION_COOKIE

    async def sign_in(page: Any, slug: str | None = None, *, email: str, kind: str = "customer") -> None:
        runtime = build_runtime(live_server.settings, plugins=live_server.plugins)
        try:
            if kind == "operator":
                async with runtime.db.transaction(None) as session:
                    operator = await session.scalar(select(Operator).where(Operator.email == email))
                    assert operator is not None, f"no demo operator {email}"
                    opened = await page_sessions.open_operator_session(session, operator_id=operator.id)
                name, path = OPERATOR_COOKIE, OPERATOR_PATH
            else:
                async with runtime.db.platform_session() as session:
                    tenant = await session.scalar(select(Tenant).where(Tenant.slug == slug))
                assert tenant is not None, f"no demo tenant {slug}"
                async with runtime.db.transaction(tenant.id) as session:
                    model = Customer if kind == "customer" else StaffUser
                    person = await session.scalar(select(model).where(model.email == email))
                    assert person is not None, f"no demo {kind} {email} in {slug}"
                    principal = customer_principal(person) if kind == "customer" else staff_principal(person)
                    opened = await page_sessions.open_session(session, principal=principal,
                                                              method="code" if kind == "customer" else "password")
                name, path = SESSION_COOKIE, f"/t/{slug}"
        finally:
            await runtime.close()
        host = live_server.url.split("://", 1)[1].split(":", 1)[0]
        await page.context.add_cookies([{"name": name, "value": opened.token, "domain": host, "path": path,
                                         "httpOnly": True, "secure": True, "sameSite": "Lax"}])

    return sign_in
