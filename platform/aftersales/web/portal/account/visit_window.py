"""The technician's visit on a customer's request page: shown once the plan is fixed (the customer has been
told the window), until the visit is finished; the template is ``account/_planned_visit.html``."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.dispatch import visits
from aftersales.dispatch.models import Visit, VisitState

TOLD = frozenset({VisitState.FIXED, VisitState.ARRIVED, VisitState.STARTED})
"""The states in which the customer knows the window and the technician has not finished."""


async def planned_visit(session: AsyncSession, request_id: uuid.UUID) -> Visit | None:
    """The request's next told visit (the earliest by day and window), or None."""
    return next((v for v in await visits.list_visits(session, request_id=request_id) if v.state in TOLD), None)
