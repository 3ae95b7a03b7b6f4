"""Fixtures shared by the core's tests.

Database tests take the ``backend`` fixture and so run twice: on embedded SQLite and on a real PostgreSQL
(started by :mod:`aftersales.testing.postgres`, or ``AFTERSALES_TEST_POSTGRES_URL``). Each test gets a fresh
database cloned from one migrated template (a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on
PostgreSQL). Without PostgreSQL the PostgreSQL half skips with the reason, except under ``CI=true``.

Under pytest-xdist (``-n 2``, what ``make test`` runs) each worker is its own process with its own session
fixtures: its own throwaway PostgreSQL server (or its own template on a shared ``AFTERSALES_TEST_POSTGRES_URL``),
its own temporary directory, data directory and SQLite files. See docs/testing.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc.jwk import ECKey
from sqlalchemy import select

from aftersales.migrate import upgrade
from aftersales.plugins import PluginRegistry, build_plugin_registry
from aftersales.runtime import Runtime, build_runtime
from aftersales.settings import Settings, load_settings
from aftersales.testing.apps import AppCache
from aftersales.testing.postgres import APP_ROLE, OWNER_ROLE, PostgresUnavailable, ThrowawayPostgres

pytest_plugins = ["support.api_contract", "support.browser", "support.oidc", "support.pages", "support.stripe_server",
                  "support.webhooks"]

IN_CI = os.environ.get("CI", "").lower() == "true"
TEMPLATE_DB = "aftersales_template_" + os.environ.get("PYTEST_XDIST_WORKER", "main")
"""Per xdist worker: workers sharing one server (``AFTERSALES_TEST_POSTGRES_URL``) each migrate their own."""


@dataclass(frozen=True)
class Backend:
    """One freshly migrated database: what the app connects with and what the owner connects with."""

    name: str
    app_url: str
    owner_url: str


@pytest.fixture(scope="session")
def signing_key_pem() -> str:
    return ECKey.generate_key("P-256", private=True).as_pem(private=True).decode()


@pytest.fixture(scope="session")
def base_settings(tmp_path_factory: pytest.TempPathFactory, signing_key_pem: str) -> Settings:
    data = tmp_path_factory.mktemp("data")
    return replace(
        load_settings(),
        data_dir=data,
        signing_key_pem=signing_key_pem,
        base_url="http://testserver.local",
        base_domain="aftersales.test",
        webhook_private_targets=True,  # the tests' webhook receivers listen on 127.0.0.1
    )


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres | None]:
    server = ThrowawayPostgres()
    try:
        server.start()
    except (PostgresUnavailable, OSError) as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        yield None
        return
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres: ThrowawayPostgres | None, base_settings: Settings) -> str | None:
    if postgres is None:
        return None
    postgres.drop_database(TEMPLATE_DB)
    postgres.create_database(TEMPLATE_DB)
    settings = replace(base_settings, database_app_role=APP_ROLE)
    upgrade(settings, url=postgres.url(TEMPLATE_DB, role=OWNER_ROLE))
    return TEMPLATE_DB


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres_only`` (row locks, concurrency) run only with the PostgreSQL backend: their
    SQLite variants are deselected, not skipped, since SQLite has no such behaviour to test."""
    chosen, dropped = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        on_sqlite = params is not None and params.params.get("backend") == "sqlite"
        (dropped if on_sqlite and item.get_closest_marker("postgres_only") else chosen).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = chosen


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory, base_settings: Settings) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    upgrade(base_settings, url=f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    postgres: ThrowawayPostgres | None,
    postgres_template: str | None,
) -> Iterator[Backend]:
    if request.param == "sqlite":
        path = tmp_path / "aftersales.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite+aiosqlite:///{path}"
        yield Backend("sqlite", url, url)
        return
    if postgres is None or postgres_template is None:
        pytest.skip("PostgreSQL is not available on this machine (no binaries, no AFTERSALES_TEST_POSTGRES_URL)")
    name = postgres.create_database(template=postgres_template)
    yield Backend("postgresql", postgres.url(name, role=APP_ROLE), postgres.url(name, role=OWNER_ROLE))
    postgres.drop_database(name)


@pytest.fixture(scope="session")
def plugins() -> PluginRegistry:
    """The installed plugins, as production discovers them."""
    return build_plugin_registry()


@pytest.fixture
async def runtime(backend: Backend, base_settings: Settings, plugins: PluginRegistry) -> AsyncIterator[Runtime]:
    rt = build_runtime(replace(base_settings, database_url=backend.app_url, migration_database_url=backend.owner_url),
                       plugins=plugins)
    yield rt
    await rt.close()


@pytest.fixture(scope="session")
def app_cache() -> AppCache:
    return AppCache()


@pytest.fixture
async def client(runtime: Runtime, app_cache: AppCache) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client speaking ASGI to the app in the test's own event loop (as one server process would).
    The app object is reused from the previous test, pointed at this test's runtime (see AppCache)."""
    transport = httpx.ASGITransport(app=app_cache.app_for(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as test_client:
        yield test_client


def minimal_manifest(slug: str, vertical: str = "electronics", **overrides: Any) -> dict[str, Any]:
    """The smallest valid manifest for ``vertical``; ``overrides`` replace top-level keys."""
    manifest: dict[str, Any] = {
        "slug": slug,
        "name": f"{slug.title()} Test Co",
        "vertical": vertical,
        "locales": ["en"],
        "default_locale": "en",
        "time_zone": "Europe/Berlin",
        "currency": "EUR",
        "calendar": {"country": "DE", "weekend_days": ["sat", "sun"],
                     "business_hours": {"opens": "09:00", "closes": "17:00"}},
        "branding": {"display_name": slug.title(), "support_email": f"help@{slug}-demo.com",
                     "support_phone": "+49 30 1234567"},
    }
    manifest.update(overrides)
    return manifest


@pytest.fixture
def make_tenant(runtime: Runtime) -> Any:
    """``await make_tenant("acme", vertical=…)`` onboards a tenant and returns its record."""
    from aftersales.onboarding.services import onboard

    async def create(slug: str, vertical: str = "electronics", **overrides: Any) -> Any:
        async with runtime.db.transaction(None) as session:
            tenant, _ = await onboard(session, runtime.plugins, minimal_manifest(slug, vertical, **overrides))
        return tenant

    return create


@pytest.fixture
def staff_token(runtime: Runtime) -> Any:
    """``await staff_token(tenant, "admin")`` creates a staff member with those roles and returns a bearer header."""
    from aftersales.accounts.services import create_staff
    from aftersales.identity.services import staff_principal

    async def issue(tenant: Any, *roles: str) -> dict[str, str]:
        async with runtime.db.transaction(tenant.id) as session:
            email = f"{'-'.join(roles)}-{os.urandom(3).hex()}@{tenant.slug}-demo.com"
            staff = await create_staff(session, email=email, name="Test Staff", roles=list(roles), password=None)
            principal = staff_principal(staff)
        return {"Authorization": f"Bearer {runtime.tokens.issue(principal)}"}

    return issue


@pytest.fixture
def provider_token(runtime: Runtime) -> Any:
    """``await provider_token(tenant, provider_id)`` creates a user of that marketplace provider (role ``provider``)
    and returns a bearer header: the token reaches only that provider's own work."""
    from aftersales.accounts.services import create_staff
    from aftersales.identity.services import staff_principal

    async def issue(tenant: Any, provider_id: Any) -> dict[str, str]:
        async with runtime.db.transaction(tenant.id) as session:
            email = f"provider-{os.urandom(3).hex()}@{tenant.slug}-demo.com"
            staff = await create_staff(session, email=email, name="Test Provider User", roles=["provider"],
                                       password=None, provider_id=provider_id)
            principal = staff_principal(staff)
        return {"Authorization": f"Bearer {runtime.tokens.issue(principal)}"}

    return issue


@pytest.fixture
def customer_token(runtime: Runtime) -> Any:
    """``await customer_token(tenant, customer_id=None)`` returns ``(customer id, bearer header)``; without an id
    it creates a customer first. The token reaches only that customer's own business (``customer:self``)."""
    from aftersales.identity.models import Customer
    from aftersales.identity.services import customer_principal

    async def issue(tenant: Any, customer_id: Any = None) -> tuple[Any, dict[str, str]]:
        async with runtime.db.transaction(tenant.id) as session:
            if customer_id is None:
                customer = Customer(name="Test Customer", email=f"customer-{os.urandom(3).hex()}@example.com")
                session.add(customer)
                await session.flush()
            else:
                customer = (await session.scalars(select(Customer).where(Customer.id == customer_id))).one()
            principal = customer_principal(customer)
        return customer.id, {"Authorization": f"Bearer {runtime.tokens.issue(principal)}"}

    return issue


@pytest.fixture
def cli(backend: Backend, base_settings: Settings) -> Any:
    """``cli("tenants", "list")`` runs the real ``aftersales`` command against this test's database."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "AFTERSALES_DATABASE_URL": backend.app_url,
               "AFTERSALES_MIGRATION_DATABASE_URL": backend.owner_url,
               "AFTERSALES_DATA_DIR": str(base_settings.data_dir),
               "AFTERSALES_SIGNING_KEY": base_settings.signing_key_pem}
        return subprocess.run([sys.executable, "-m", "aftersales.cli.main", *args], check=False, capture_output=True,
                              text=True, env=env, timeout=120)

    return run
