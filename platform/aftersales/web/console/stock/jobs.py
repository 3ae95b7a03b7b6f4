"""The jobs stock serves, as the stock pages name them: a service request by its number."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.service.models import ServiceRequest


async def request_numbers(session: AsyncSession, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, int]:
    """The numbers of the tenant's requests ``ids`` (None and others' ids left out)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(ServiceRequest.id, ServiceRequest.number).where(
        ServiceRequest.id.in_(wanted)))
    return {request_id: number for request_id, number in rows.all()}


async def request_by_number(session: AsyncSession, number: int) -> uuid.UUID | None:
    """The id of the tenant's request numbered ``number``, or None."""
    return await session.scalar(select(ServiceRequest.id).where(ServiceRequest.number == number))
