"""Each tenant's health as the operator console shows it, cheap enough to compute for every tenant on one page.

Health means three things here, and the page says so:

* **database**: a query made *as the tenant* (its tenant-bound session, so row-level security applies on
  PostgreSQL) answers;
* **outbox**: how many of its messages are waiting, how many are overdue (due more than
  :data:`OVERDUE_AFTER` ago: the worker is not keeping up), and how many failed for good;
* **last activity**: the latest service-request event or queued message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from aftersales.db import Database
from aftersales.outbox.messages import outbox_counts
from aftersales.service.requests.services import latest_event_at
from aftersales.tenancy.models import Tenant

OVERDUE_AFTER = timedelta(minutes=15)
"""A pending message due longer ago than this means delivery is behind."""


@dataclass(frozen=True)
class TenantHealth:
    """What the console shows of one tenant's health; ``error`` is set (and the counts are zero) when its
    database did not answer."""

    reachable: bool
    waiting: int = 0
    overdue: int = 0
    failed: int = 0
    last_activity: datetime | None = None
    error: str | None = None

    @property
    def tone(self) -> str:
        """``good``, ``warn`` (failed or overdue messages) or ``bad`` (the database did not answer)."""
        if not self.reachable:
            return "bad"
        return "warn" if self.failed or self.overdue else "good"


async def tenant_health(db: Database, tenant: Tenant, now: datetime) -> TenantHealth:
    """Ask the database as ``tenant``: its outbox counts and its last activity (two queries, one transaction)."""
    try:
        async with db.transaction(tenant.id) as session:
            waiting, overdue, failed, last_message = await outbox_counts(session, overdue_before=now - OVERDUE_AFTER)
            last_event = await latest_event_at(session)
    except (SQLAlchemyError, OSError) as exc:  # any driver error means not reachable; operators see its kind
        return TenantHealth(reachable=False, error=type(exc).__name__)
    moments = [m for m in (last_message, last_event) if m is not None]
    return TenantHealth(reachable=True, waiting=waiting, overdue=overdue, failed=failed,
                        last_activity=max(moments) if moments else None)


__all__ = ["OVERDUE_AFTER", "TenantHealth", "tenant_health"]
