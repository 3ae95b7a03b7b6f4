"""``/metrics``: the process's Prometheus metrics (:mod:`aftersales.observability.metrics`), for operators.

Who may read it: a request with an operator's access token, or with the bearer token configured as
``AFTERSALES_METRICS_TOKEN`` (what a Prometheus scrape job sends); anyone else gets a 401 problem. The metrics
name tenants and routes, so they are not public, as ``/health``'s tenant list is not.

At each scrape the gauges of what the database holds are read again: the pools' connections, and per active
tenant the outbox backlog, the age of its oldest pending message and its breached SLA clocks (one statement per
tenant on its read connection, since row-level security shows a connection one tenant at a time).
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any

from litestar import Request, Response, get
from sqlalchemy import func, select
from sqlalchemy.pool import Pool

from aftersales.db.base import utcnow
from aftersales.errors import AuthenticationFailed
from aftersales.http.context import RuntimeDep
from aftersales.observability.metrics import (
    DB_POOL,
    OUTBOX_BACKLOG,
    OUTBOX_OLDEST_AGE,
    SLA_BREACHED,
    exposition,
)
from aftersales.outbox.models import OutboxMessage
from aftersales.runtime import Runtime
from aftersales.service.models import SlaClock
from aftersales.tenancy.models import Tenant
from aftersales.web.health import _is_operator


def _may_read(request: Request[Any, Any, Any], runtime: Runtime) -> bool:
    expected = runtime.settings.metrics_token
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if expected and scheme.lower() == "bearer" and hmac.compare_digest(token.encode(), expected.encode()):
        return True
    return _is_operator(request, runtime)


def _record_pool(name: str, pool: Pool) -> None:
    for state, reading in (("checked_out", "checkedout"), ("idle", "checkedin"), ("overflow", "overflow"),
                           ("size", "size")):
        value = getattr(pool, reading, None)
        if value is not None:
            DB_POOL.labels(name, state).set(max(value(), 0))


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=utcnow().tzinfo)


async def record_database_gauges(runtime: Runtime) -> None:
    """Read the pools, and each active tenant's outbox backlog and breached clocks, into their gauges."""
    _record_pool("main", runtime.db.engine.pool)
    if runtime.db.read_engine is not runtime.db.engine:
        _record_pool("read", runtime.db.read_engine.pool)
    async with runtime.db.platform_session() as session:
        tenants = (await session.execute(select(Tenant.id, Tenant.slug).where(Tenant.status == "active"))).all()
    pending = OutboxMessage.status == "pending"
    outbox = select(func.count(), func.min(OutboxMessage.created_at)).where(pending)
    breached = select(func.count()).where(SlaClock.breached_at.is_not(None), SlaClock.met_at.is_(None))
    now = utcnow()
    for gauge in (OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE, SLA_BREACHED):
        gauge.clear()  # a tenant suspended since the last scrape drops out
    for tenant_id, slug in tenants:
        async with runtime.db.reading(tenant_id) as conn:
            count, oldest = (await conn.execute(outbox.where(OutboxMessage.tenant_id == tenant_id))).one()
            breaches = await conn.scalar(breached.where(SlaClock.tenant_id == tenant_id))
        OUTBOX_BACKLOG.labels(slug).set(count)
        OUTBOX_OLDEST_AGE.labels(slug).set((now - _as_utc(oldest)).total_seconds() if oldest else 0)
        SLA_BREACHED.labels(slug).set(breaches or 0)


@get("/metrics", operation_id="metrics", exclude_from_auth=True, tags=["platform"], include_in_schema=False)
async def metrics(request: Request[Any, Any, Any], runtime: RuntimeDep) -> Response[bytes]:
    """The Prometheus text exposition of this process's metrics (operators and the metrics token only)."""
    if not _may_read(request, runtime):
        raise AuthenticationFailed("reading /metrics needs an operator's token or the metrics token")
    await record_database_gauges(runtime)
    body, content_type = exposition()
    return Response(body, media_type=content_type)
