"""What a request's move tells the rest of the service domain, so requests need not know who listens.

``move_request`` publishes each move twice in its own transaction: *moving* before the state changes (a
subscriber may refuse the move by raising, e.g. a complaint that is not answered yet) and *moved* after it
(a subscriber records what follows, e.g. the follow-up calls after a repair). Complaints and follow-ups
subscribe in :mod:`aftersales.service` (the package's ``__init__``), so the subscriptions hold wherever any
service module is imported. Subscribers run in the order they subscribed; none may depend on another.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.service.models import ServiceRequest
from aftersales.service.states import RequestState
from aftersales.tenancy.current import CurrentTenant


@dataclass(frozen=True)
class RequestMove:
    """One move of one request: from ``current`` to ``target`` at ``now``, in ``session``'s transaction."""

    session: AsyncSession
    tenant: CurrentTenant
    request: ServiceRequest
    current: RequestState
    target: RequestState
    now: datetime


MoveSubscriber = Callable[[RequestMove], Awaitable[None]]
_moving: list[MoveSubscriber] = []
_moved: list[MoveSubscriber] = []


def subscribe(*, moving: MoveSubscriber | None = None, moved: MoveSubscriber | None = None) -> None:
    """Have ``moving`` called before each move (it may raise to refuse it) and ``moved`` after it."""
    if moving is not None and moving not in _moving:
        _moving.append(moving)
    if moved is not None and moved not in _moved:
        _moved.append(moved)


async def publish_moving(move: RequestMove) -> None:
    """Tell the *moving* subscribers; the first that raises refuses the move."""
    for subscriber in _moving:
        await subscriber(move)


async def publish_moved(move: RequestMove) -> None:
    """Tell the *moved* subscribers, after the state and the timeline have the move."""
    for subscriber in _moved:
        await subscriber(move)
