"""Follow-up failures: a service event whose plans a failing plugin could not give is kept, retried and shown.

Follow-ups decide nothing the user is waiting for, so a plugin failing on ``aftersales_followups`` never undoes
the move, sign-off or sale that recorded the event. :func:`note_failure` keeps the event in that action's
transaction (one :class:`FollowUpFailure` per event); the worker plans it again when due
(:func:`aftersales.service.followups.delivery.retry_failed_followups`), backing off from
:data:`FIRST_RETRY` to :data:`LONGEST_RETRY`; staff list them with :func:`failures`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import PluginFailed, VerticalUnavailable
from aftersales.service.followups.models import FollowUpFailure

FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)
HOOK = "aftersales_followups"


def next_attempt(attempts: int, now: datetime) -> datetime:
    """When to try again after ``attempts`` failed ones: 5 min, 10 min, 20 min … at most 6 h apart."""
    return now + min(FIRST_RETRY * 2 ** min(attempts - 1, 16), LONGEST_RETRY)


def _blame(error: PluginFailed | VerticalUnavailable) -> tuple[str, str, str, str]:
    """(plugin, hook, error id, reason) of a failure."""
    if isinstance(error, PluginFailed):
        return error.plugin, error.hook, error.error_id, error.reason
    return error.vertical, HOOK, "", f"the vertical is unavailable: {error.reason}"


async def note_failure(session: AsyncSession, error: PluginFailed | VerticalUnavailable, *, source_event: str,
                       event_kind: str, event_at: datetime, customer_id: UUID, request_id: UUID | None,
                       registration_id: UUID | None, now: datetime) -> FollowUpFailure:
    """Keep the event for a retry (or count one more failed attempt of a kept, unresolved one)."""
    plugin, hook, error_id, reason = _blame(error)
    failure = await session.scalar(select(FollowUpFailure).where(FollowUpFailure.source_event == source_event))
    if failure is None:
        failure = FollowUpFailure(source_event=source_event, event_kind=event_kind, event_at=event_at,
                                  customer_id=customer_id, request_id=request_id, registration_id=registration_id,
                                  attempts=0)
        session.add(failure)
    failure.attempts = (failure.attempts or 0) + 1 if failure.resolved_at is None else 1
    failure.event_at, failure.resolved_at = event_at, None
    failure.plugin, failure.hook, failure.error_id, failure.reason = plugin, hook, error_id, reason[:2000]
    failure.failed_at, failure.next_attempt_at = now, next_attempt(failure.attempts, now)
    await session.flush()
    return failure


def resolved(failure: FollowUpFailure, now: datetime) -> None:
    """The event's follow-ups are planned at last."""
    failure.resolved_at, failure.next_attempt_at = now, None


async def undone(session: AsyncSession, source_event: str, now: datetime) -> None:
    """The event was undone (a repaired unit went back into repair): its failed planning is not retried."""
    failure = await session.scalar(select(FollowUpFailure).where(FollowUpFailure.source_event == source_event,
                                                                 FollowUpFailure.resolved_at.is_(None)))
    if failure is not None:
        resolved(failure, now)


async def due_failures(session: AsyncSession, now: datetime, limit: int) -> list[FollowUpFailure]:
    """Unresolved failures whose next attempt is due, oldest first (locked against other workers)."""
    return list((await session.scalars(
        select(FollowUpFailure).where(FollowUpFailure.next_attempt_at <= now)
        .order_by(FollowUpFailure.next_attempt_at, FollowUpFailure.id).limit(limit)
        .with_for_update(skip_locked=True))).all())


async def of_request(session: AsyncSession, request_id: UUID) -> list[FollowUpFailure]:
    """The request's events whose follow-ups are still waiting for a plugin (shown on its console page)."""
    return list((await session.scalars(
        select(FollowUpFailure).where(FollowUpFailure.request_id == request_id, FollowUpFailure.resolved_at.is_(None))
        .order_by(FollowUpFailure.event_at, FollowUpFailure.id))).all())


async def failures(session: AsyncSession, *, unresolved_only: bool, limit: int) -> list[FollowUpFailure]:
    """The session's tenant's failures, the latest failed first."""
    query = select(FollowUpFailure).order_by(FollowUpFailure.failed_at.desc(), FollowUpFailure.id).limit(limit)
    if unresolved_only:
        query = query.where(FollowUpFailure.resolved_at.is_(None))
    return list((await session.scalars(query)).all())
