"""Tenant-bound sessions: the ORM half of tenant isolation.

A session is opened for exactly one tenant (``Database.session(tenant_id)``) or for the platform alone
(``Database.platform_session()``). In a tenant session every ORM read, bulk UPDATE and bulk DELETE of a
tenant-owned model gets ``tenant_id = :tenant`` (``with_loader_criteria``, which also reaches relationship
loads and joined aliases), and every insert is stamped with the tenant or refused if it names another one.
A platform session that touches a tenant-owned model raises :class:`~aftersales.errors.TenantNotBound`.

On PostgreSQL each transaction also runs ``set_config('app.tenant_id', …, true)``: transaction-local, so a
pooled connection never carries one tenant's setting into another's transaction. Row-level security
(:mod:`aftersales.db.rls`) filters on it, so either layer alone holds.

The hottest reads (a unit looked up by serial) skip the ORM: ``Database.reading(tenant_id)`` gives a plain
connection whose Core statements name ``tenant_id = :tenant`` themselves, with the same ``set_config`` on
PostgreSQL (so row-level security still holds), on a read-only connection (docs/architecture.md §7).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Table, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, with_loader_criteria
from sqlalchemy.sql import visitors

from aftersales.db.base import Base, TenantOwned
from aftersales.errors import CrossTenantWrite, TenantNotBound

TENANT_KEY = "aftersales.tenant_id"


class TenantSession(Session):
    """The sync session behind every :class:`AsyncSession` aftersales opens; carries the isolation events."""


def bound_tenant(session: Session | AsyncSession) -> uuid.UUID | None:
    """The tenant a session is bound to, or None for a platform session."""
    return session.info.get(TENANT_KEY)


def _statement_tables(statement: Any) -> set[str]:
    """Names of every table a statement reads or writes, subqueries and joins included."""
    names: set[str] = set()
    for element in visitors.iterate(statement, {"column_tables": True}):
        table = element if isinstance(element, Table) else getattr(element, "table", None)
        if isinstance(table, Table):
            names.add(table.name)
    return names


_tenant_tables_seen: tuple[int, frozenset[str]] = (-1, frozenset())


def _tenant_tables() -> frozenset[str]:
    """Names of the tenant-owned tables, recomputed only when a model module has added mappers since."""
    global _tenant_tables_seen
    mappers = Base.registry.mappers
    if len(mappers) != _tenant_tables_seen[0]:
        names = frozenset(m.local_table.name for m in mappers if issubclass(m.class_, TenantOwned))
        _tenant_tables_seen = (len(mappers), names)
    return _tenant_tables_seen[1]


@event.listens_for(TenantSession, "do_orm_execute")
def _scope_statement_to_tenant(state: ORMExecuteState) -> None:
    tenant_id = state.session.info.get(TENANT_KEY)
    if tenant_id is None:
        touched = _statement_tables(state.statement) & _tenant_tables()
        if touched:
            raise TenantNotBound(f"{', '.join(sorted(touched))} queried from a session bound to no tenant")
        return
    if state.is_insert:
        _stamp_insert(state, tenant_id)
        return
    # Added to every statement of a tenant session: it constrains each tenant-owned entity wherever it appears
    # (FROM, joins, aliases, subqueries, relationship loads, ORM UPDATE/DELETE) and costs nothing elsewhere.
    state.statement = state.statement.options(
        with_loader_criteria(TenantOwned, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    )


def _stamp_insert(state: ORMExecuteState, tenant_id: uuid.UUID) -> None:
    """Bulk ``session.execute(insert(Model), rows)``: stamp rows without a tenant, refuse rows of another."""
    if not any(issubclass(mapper.class_, TenantOwned) for mapper in state.all_mappers):
        return
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    for row in rows:
        given = row.get("tenant_id")
        if given is None:
            row["tenant_id"] = tenant_id
        elif given != tenant_id:
            raise CrossTenantWrite("a bulk insert named another tenant's id")
    inline = {getattr(k, "key", k): v for k, v in (state.statement._values or {}).items()}
    if "tenant_id" in inline:
        raise CrossTenantWrite("an insert may not set tenant_id inline; the session stamps it")


@event.listens_for(TenantSession, "before_flush")
def _stamp_and_check_writes(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    tenant_id = session.info.get(TENANT_KEY)
    for obj in session.new:
        if not isinstance(obj, TenantOwned):
            continue
        if tenant_id is None:
            raise TenantNotBound(f"cannot insert a {type(obj).__name__} from a session bound to no tenant")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise CrossTenantWrite(f"cannot insert a {type(obj).__name__} of another tenant")
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, TenantOwned) and obj.tenant_id != tenant_id:
            raise CrossTenantWrite(f"cannot change a {type(obj).__name__} of another tenant")


SET_TENANT = text("SELECT set_config('app.tenant_id', :tenant, true)")
"""The transaction-local tenant that row-level security filters on (PostgreSQL)."""


@event.listens_for(TenantSession, "after_begin")
def _set_postgres_tenant(session: Session, transaction: Any, connection: Any) -> None:
    if connection.dialect.name != "postgresql":
        return
    tenant_id = session.info.get(TENANT_KEY)
    connection.execute(SET_TENANT, {"tenant": str(tenant_id or "")})


def _configure_sqlite(sync_engine: Engine) -> None:
    @event.listens_for(sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, connection_record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for ``url`` with aftersales' per-dialect setup (SQLite: foreign keys, WAL)."""
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine.sync_engine)
    return engine


READ_TENANT_KEY = "aftersales.read_tenant"
"""Where a read connection remembers the tenant its session-level ``app.tenant_id`` names (connection ``info``)."""


def _postgres_read_engine(url: str, *, transaction_pooler: bool, **kwargs: Any) -> AsyncEngine:
    """The engine of :meth:`Database.reading` on PostgreSQL: its own pool of autocommit connections.

    A lookup through a tenant transaction costs three round trips (``BEGIN`` with ``set_config``, the query,
    ``ROLLBACK``). Here, by default, every connection is opened with ``default_transaction_read_only`` on, so no
    statement on it can write, and runs each statement on its own (autocommit: no ``BEGIN``, no ``ROLLBACK``).
    The tenant is a session-level ``app.tenant_id`` that :func:`_bind_read_tenant` sets, in one round trip,
    whenever the connection it is given last served another tenant: a lookup costs one or two round trips.
    Only :meth:`Database.reading` uses this engine, so no statement runs on it before the tenant is set.

    Behind a transaction-mode pooler (``transaction_pooler``) a session-level setting could reach another
    client's statements, and the pooler refuses unknown start-up parameters, so each read is instead a
    ``BEGIN READ ONLY`` transaction with a transaction-local setting (:func:`_postgres_read_transaction`).
    """
    connect_args = {} if transaction_pooler else {"server_settings": {"default_transaction_read_only": "on"}}
    return create_async_engine(url, isolation_level="AUTOCOMMIT", connect_args=connect_args, **kwargs)


def _set_tenant_sql(tenant_id: uuid.UUID, *, local: bool) -> str:
    """``set_config`` of ``app.tenant_id`` as a simple query (one that takes no parameters, and costs less than
    a prepared one): transaction-local or session-level. The id is interpolated as ``str(uuid.UUID)``, hex
    digits and dashes only."""
    return f"SELECT set_config('app.tenant_id', '{uuid.UUID(str(tenant_id))}', {'true' if local else 'false'})"


async def _driver(connection: AsyncConnection) -> Any:
    """The asyncpg connection under ``connection``, for simple queries."""
    driver = (await connection.get_raw_connection()).driver_connection
    assert driver is not None
    return driver


@asynccontextmanager
async def _postgres_read_transaction(connection: AsyncConnection, tenant_id: uuid.UUID) -> AsyncIterator[None]:
    """``BEGIN READ ONLY`` and the tenant's transaction-local ``set_config`` in one round trip, ``ROLLBACK`` at
    the end (the connection is in autocommit, so the driver adapter sends no ``BEGIN`` of its own).

    If the ``ROLLBACK`` fails, the connection is invalidated, so it never returns to the pool inside a
    transaction.
    """
    driver = await _driver(connection)
    await driver.execute(f"BEGIN READ ONLY; {_set_tenant_sql(tenant_id, local=True)}")
    try:
        yield
    finally:
        try:
            await driver.execute("ROLLBACK")
        except BaseException:
            await connection.invalidate()
            raise


async def _bind_read_tenant(connection: AsyncConnection, tenant_id: uuid.UUID) -> None:
    """Make ``connection``'s session-level ``app.tenant_id`` name ``tenant_id`` (a round trip only on a change).

    If setting it fails, the connection is invalidated, so it never goes back to the pool naming a tenant it does
    not remember.
    """
    info = connection.info
    if info.get(READ_TENANT_KEY) == tenant_id:
        return
    info.pop(READ_TENANT_KEY, None)
    driver = await _driver(connection)
    try:
        await driver.execute(_set_tenant_sql(tenant_id, local=False))
    except BaseException:
        await connection.invalidate()
        raise
    info[READ_TENANT_KEY] = tenant_id


class Database:
    """The engine and the two ways to open a session: for one tenant, or for the platform alone."""

    def __init__(self, url: str, *, transaction_pooler: bool = False, **engine_kwargs: Any) -> None:
        self.url = url
        self.transaction_pooler = transaction_pooler
        self.engine = create_engine(url, **engine_kwargs)
        self._sessions = async_sessionmaker(
            self.engine, sync_session_class=TenantSession, expire_on_commit=False
        )
        self.read_engine = (_postgres_read_engine(url, transaction_pooler=transaction_pooler, **engine_kwargs)
                            if self.engine.dialect.name == "postgresql" else self.engine)
        """:meth:`reading`'s engine: on PostgreSQL a pool of its own (:func:`_postgres_read_engine`)."""

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self, tenant_id: uuid.UUID) -> AsyncSession:
        """A session that sees and writes only ``tenant_id``'s rows."""
        if tenant_id is None:
            raise TenantNotBound("Database.session() needs a tenant id")
        return self._sessions(info={TENANT_KEY: tenant_id})

    def platform_session(self) -> AsyncSession:
        """A session for platform tables only; touching a tenant-owned model raises."""
        return self._sessions(info={})

    @asynccontextmanager
    async def transaction(self, tenant_id: uuid.UUID | None) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits when the block ends, rolls everything back when it raises."""
        session = self.session(tenant_id) if tenant_id is not None else self.platform_session()
        async with session, session.begin():
            yield session

    @asynccontextmanager
    async def reading(self, tenant_id: uuid.UUID) -> AsyncIterator[AsyncConnection]:
        """A connection for ``tenant_id``'s hot reads in SQLAlchemy Core, for reading only.

        No ORM session, so no ORM guard: every statement run on it must filter on ``tenant_id`` itself. On SQLite
        whatever it runs is rolled back when the block ends. On PostgreSQL the connection carries the tenant for
        row-level security, as a session's transaction does, and cannot write; each statement sees the data committed when it starts, as in a session's
        read-committed transaction (see :func:`_postgres_read_engine`, and ``transaction_pooler`` there).
        """
        if not isinstance(tenant_id, uuid.UUID):
            raise TenantNotBound("Database.reading() needs a tenant id")
        async with self.read_engine.connect() as connection:
            if self.dialect != "postgresql":
                yield connection
            elif self.transaction_pooler:
                async with _postgres_read_transaction(connection, tenant_id):
                    yield connection
            else:
                await _bind_read_tenant(connection, tenant_id)
                yield connection

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()
