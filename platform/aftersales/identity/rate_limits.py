"""Rate limits per client that hold under concurrency: count and decide in one statement.

Each limit of each client of a tenant is one row of ``rate_counters``: the start of the client's current
window and the hits in it. Taking a hit is a single ``INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING``
(PostgreSQL, and SQLite ≥ 3.35): a new client's row is inserted with one hit; an ended window starts again at
one; a window with room gets one more; a full window is left as it is and the statement returns no row, which
is the refusal. The database decides under the row's lock (PostgreSQL's row lock, SQLite's one writer), so 50
simultaneous requests of one client are let in exactly up to the limit, on any number of servers.

The window starts at the client's first hit after the previous one ended (not at the top of the clock hour),
so a refused client is told exactly when it may come back. A refused hit is not counted: a client that waits
is let in again. The rows are written in the caller's transaction: a hit rolled back with its request is not
counted either.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, String, and_, bindparam, case, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned
from aftersales.db.session import bound_tenant
from aftersales.errors import RateLimited, TenantNotBound


class RateCounter(TenantOwned, Base):
    """One client's hits against one limit of a tenant, in the window that started at ``window_start``."""

    __tablename__ = "rate_counters"

    id = None  # type: ignore[assignment]  # one row per (tenant, limit, client): that is the key
    created_at = None  # type: ignore[assignment]
    bucket: Mapped[str] = mapped_column(String(40), primary_key=True)
    """Which limit: ``check:minute``, ``sign-in:client`` …"""
    client_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    """A keyed hash of the client (or address) counted; never the raw address."""
    window_start: Mapped[datetime] = mapped_column()
    hits: Mapped[int] = mapped_column(Integer)


FORGOTTEN_AFTER = timedelta(days=2)
"""A counter whose window opened this long ago is deleted by the worker (:func:`forget_idle_counters`). Every
limit's window is shorter (:class:`Limit` refuses a longer one), so the client's next hit would start a new
window anyway: forgetting the row changes no decision, and the table holds only the clients of the last days."""


@dataclass(frozen=True)
class Limit:
    """At most ``allowed`` hits per ``window`` for one client; ``refusal`` says so to the refused client."""

    bucket: str
    allowed: int
    window: timedelta
    refusal: str

    def __post_init__(self) -> None:
        if not timedelta(0) < self.window < FORGOTTEN_AFTER:
            raise ValueError(f"a limit's window must be shorter than {FORGOTTEN_AFTER} (the counters are forgotten "
                             f"then), not {self.window}")


_TABLE = RateCounter.__table__
# bind names differ from the column names: SQLAlchemy keeps those for an INSERT's or UPDATE's own values
_KEY = and_(_TABLE.c.tenant_id == bindparam("k_tenant"), _TABLE.c.bucket == bindparam("k_bucket"),
            _TABLE.c.client_key == bindparam("k_client"))


def _take_statement(insert: Any) -> Any:
    """The hit counted, or the window restarted, or nothing (a full window): one statement."""
    now = bindparam("k_now", type_=_TABLE.c.window_start.type)
    ended = _TABLE.c.window_start <= bindparam("window_opened_before", type_=_TABLE.c.window_start.type)
    return (insert(_TABLE)
            .values(tenant_id=bindparam("k_tenant"), bucket=bindparam("k_bucket"), client_key=bindparam("k_client"),
                    window_start=now, hits=1)
            .on_conflict_do_update(
                index_elements=[_TABLE.c.tenant_id, _TABLE.c.bucket, _TABLE.c.client_key],
                set_={"hits": case((ended, 1), else_=_TABLE.c.hits + 1),
                      "window_start": case((ended, now), else_=_TABLE.c.window_start)},
                where=or_(ended, _TABLE.c.hits < bindparam("allowed")))
            .returning(_TABLE.c.hits))


_TAKE = {"postgresql": _take_statement(postgresql_insert), "sqlite": _take_statement(sqlite_insert)}
_GIVE_BACK = update(_TABLE).where(_KEY).values(hits=_TABLE.c.hits - 1)
_WINDOW_START = select(_TABLE.c.window_start).where(_KEY)


async def take(session: AsyncSession, hits: Sequence[tuple[Limit, str]], *, now: datetime) -> None:
    """Count one hit against each ``(limit, client key)`` in the session's tenant, all or none.

    Give the longest window first, so a client over several limits is told the longest wait.

    :raises RateLimited: when a window is full, with the seconds until it ends; no hit is counted then.
    """
    tenant_id = bound_tenant(session)
    if tenant_id is None:
        raise TenantNotBound("rate limits are counted in a session bound to a tenant")
    connection = await session.connection()
    taken: list[dict[str, Any]] = []
    for limit, client_key in hits:
        key = {"k_tenant": tenant_id, "k_bucket": limit.bucket, "k_client": client_key}
        counted = (await connection.execute(_TAKE[connection.dialect.name], {
            **key, "k_now": now, "window_opened_before": now - limit.window, "allowed": limit.allowed})).first()
        if counted is not None:
            taken.append(key)
            continue
        for earlier in taken:
            await connection.execute(_GIVE_BACK, earlier)
        opened = (await connection.execute(_WINDOW_START, key)).scalar_one()
        retry_after = max(1, math.ceil((opened + limit.window - now).total_seconds()))
        raise RateLimited(f"{limit.refusal}; try again in {retry_after} seconds", retry_after)


async def forget_idle_counters(session: AsyncSession, *, now: datetime) -> int:
    """Delete the session's tenant's counters whose window opened :data:`FORGOTTEN_AFTER` or more before ``now``
    (clients that have not come back since); returns how many."""
    if bound_tenant(session) is None:
        raise TenantNotBound("rate counters are forgotten in a session bound to a tenant")
    result = await session.execute(delete(RateCounter).where(RateCounter.window_start <= now - FORGOTTEN_AFTER))
    return result.rowcount or 0
