"""Append-only tables: rows that record history (timelines, ledgers) are inserted and never changed.

Migrations call :func:`forbid_changes` for such a table; the database itself then refuses every UPDATE and
DELETE, whatever code path or tool issues it — a trigger on PostgreSQL and on SQLite alike.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

MESSAGE = "is append-only: its rows are never changed or deleted"


def forbid_changes(connection: Connection, table: str) -> None:
    """Make ``table`` refuse UPDATE and DELETE."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            "CREATE OR REPLACE FUNCTION aftersales_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '% {MESSAGE}', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; END $$"
        ))
        connection.execute(text(
            f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION aftersales_append_only()"
        ))
        return
    for operation in ("UPDATE", "DELETE"):
        connection.execute(text(
            f'CREATE TRIGGER "{table}_no_{operation.lower()}" BEFORE {operation} ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, '{table} {MESSAGE}'); END"
        ))
