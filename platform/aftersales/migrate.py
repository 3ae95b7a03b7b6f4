"""Running the Alembic migrations in ``migrations/`` (the one source of schema) and checking for drift."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection

from aftersales.db.base import Base
from aftersales.db.session import create_engine
from aftersales.settings import Settings


def alembic_config(settings: Settings, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(settings.migrations_dir))
    config.attributes["url"] = url or settings.migration_database_url
    config.attributes["app_role"] = settings.database_app_role
    return config


def upgrade(settings: Settings, url: str | None = None, revision: str = "head") -> None:
    """Migrate the database to ``revision`` and grant the application role its data privileges."""
    command.upgrade(alembic_config(settings, url), revision)


def database_revision(settings: Settings, url: str | None = None) -> str | None:
    """The revision the database at ``url`` (default: the migration URL) is at; None before its first migration."""
    async def read() -> str | None:
        engine = create_engine(url or settings.migration_database_url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())
        finally:
            await engine.dispose()

    return asyncio.run(read())


def grant_application_role(connection: Connection, role: str) -> None:
    """Data privileges (never ownership) on every table, now and for tables later migrations create."""
    if connection.dialect.name != "postgresql":
        return
    quoted = connection.dialect.identifier_preparer.quote(role)
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {quoted}"))
    connection.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}"))
    connection.execute(text(f"REVOKE ALL ON alembic_version FROM {quoted}"))


def _import_all_models() -> None:
    """Import every module that defines tables, so ``Base.metadata`` is complete."""


async def schema_drift(url: str) -> list[Any]:
    """Differences between the models and the migrated database at ``url``; empty when they agree."""
    _import_all_models()
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata)
            )
    finally:
        await engine.dispose()
