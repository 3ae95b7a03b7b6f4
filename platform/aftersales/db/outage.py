"""Telling a database that cannot be reached from a statement that failed.

An unreachable database (server stopped or restarting, connection refused, a connection dropped under a
statement, the pool exhausted for longer than its timeout, an SQLite file that cannot be opened or stays locked)
is an outage the caller should wait out: the API answers 503 with ``Retry-After``
(:mod:`aftersales.http.problems`). A statement the database refuses (a constraint, a missing table, bad SQL) is
not: it stays a 500, so a bug is never disguised as an outage.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa

RETRY_AFTER_SECONDS = 10
"""What a client is told to wait before trying again while the database is unreachable."""

SQLITE_OUTAGES = ("unable to open database file", "database is locked", "disk i/o error")
"""SQLite's errors of a file it cannot use (missing, unreadable, held by another writer past the busy timeout)."""

_CONNECTING_MODULES = frozenset({"sqlalchemy.pool.base", "sqlalchemy.pool.impl"})


def _raised_while_connecting(error: BaseException) -> bool:
    """Whether ``error`` came out of the pool opening a connection: asyncpg's refusals (``ConnectionRefusedError``,
    a server starting or shutting down) reach us unwrapped by SQLAlchemy, so the traceback is what tells them
    from the same exception types raised elsewhere."""
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__") in _CONNECTING_MODULES:
            return True
        tb = tb.tb_next
    return False


def _is_outage(error: BaseException) -> bool:
    if isinstance(error, sa.TimeoutError):  # the pool's checkout timeout
        return True
    if isinstance(error, sa.DBAPIError):
        if error.connection_invalidated:
            return True
        orig = error.orig
        if isinstance(orig, sqlite3.OperationalError):
            return str(orig).lower().startswith(SQLITE_OUTAGES)
        return isinstance(error, sa.OperationalError | sa.InterfaceError) and _raised_while_connecting(error)
    driver_error = isinstance(error, OSError) or type(error).__module__.startswith("asyncpg")
    return driver_error and _raised_while_connecting(error)


def database_unreachable(error: BaseException) -> bool:
    """Whether ``error`` (or an error it was raised from) says the database cannot be reached right now."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if _is_outage(current):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
