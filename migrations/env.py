"""Alembic environment: runs the migrations on the URL aftersales passes (SQLite or PostgreSQL, async)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from aftersales.db.base import Base
from aftersales.db.session import create_engine
from aftersales.migrate import _import_all_models, grant_application_role
from aftersales.settings import load_settings

config = context.config
_import_all_models()
target_metadata = Base.metadata


def _url() -> str:
    return config.attributes.get("url") or load_settings().migration_database_url


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # A batch migration rebuilds a table (copy, drop, rename); dropping a table other rows point at breaks
        # their foreign keys for a moment, which SQLite refuses while it enforces them. They are checked once,
        # after every migration ran, instead (the pragma only takes effect outside a transaction: here).
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        role = config.attributes.get("app_role")
        if role:
            grant_application_role(connection, role)
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migrations left rows whose foreign keys point nowhere: {broken[:5]}")


async def _run_async() -> None:
    engine = create_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async())
