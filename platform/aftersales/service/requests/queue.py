"""Which requests a queue view ranks: SQL narrows the tenant's requests by state, kind, assignee, text and an SLA
pre-filter, and hands them over most-urgent-first by their soonest due time, at most ``limit`` of them.

The exact SLA state needs the tenant's calendar (business clocks count opening hours), so the console's queue
(:mod:`aftersales.web.console.queue`) decides it afterwards for the requests returned here.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, String, and_, cast, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.identity.models import Customer, StaffUser
from aftersales.service.models import ServiceRequest, SlaClock
from aftersales.service.states import FINAL
from aftersales.warranty.models import ProductModel, Registration, Serial

ENDED_STATES = tuple(s.value for s in FINAL)


async def queue_candidates(session: AsyncSession, *, state: str, kind: str, assignee: str, text: str, sla: str,
                           me: uuid.UUID | None, now: datetime, limit: int) -> Sequence[Row[Any]]:
    """At most ``limit + 1`` requests matching the filters (empty strings mean any; ``state`` ``open`` is every
    request not yet ended, ``all`` every request; ``assignee`` ``me``, ``none`` or a staff id; ``sla`` a coarse
    SLA pre-filter), soonest due first, as rows of the request and its customer's name, model name, serial
    and assignee's name. One row more than ``limit`` tells the caller there were more."""
    soonest = (select(func.min(SlaClock.due_at))
               .where(SlaClock.tenant_id == ServiceRequest.tenant_id, SlaClock.request_id == ServiceRequest.id,
                      SlaClock.met_at.is_(None))
               .correlate(ServiceRequest).scalar_subquery())
    query = (select(ServiceRequest, Customer.name, ProductModel.name, Serial.serial, StaffUser.name)
             .join(Customer, and_(Customer.tenant_id == ServiceRequest.tenant_id,
                                  Customer.id == ServiceRequest.customer_id))
             .outerjoin(Registration, and_(Registration.tenant_id == ServiceRequest.tenant_id,
                                           Registration.id == ServiceRequest.registration_id))
             .outerjoin(Serial, and_(Serial.tenant_id == Registration.tenant_id, Serial.id == Registration.serial_id))
             .outerjoin(ProductModel, and_(ProductModel.tenant_id == Serial.tenant_id,
                                           ProductModel.id == Serial.model_id))
             .outerjoin(StaffUser, and_(StaffUser.tenant_id == ServiceRequest.tenant_id,
                                        StaffUser.id == ServiceRequest.assignee_id))
             .order_by(soonest.asc().nulls_last(), ServiceRequest.opened_at, ServiceRequest.number)
             .limit(limit + 1))
    if state == "open":
        query = query.where(ServiceRequest.state.not_in(ENDED_STATES))
    elif state != "all":
        query = query.where(ServiceRequest.state == state)
    if kind:
        query = query.where(ServiceRequest.kind == kind)
    if assignee == "me":
        query = query.where(ServiceRequest.assignee_id == me)
    elif assignee == "none":
        query = query.where(ServiceRequest.assignee_id.is_(None))
    elif assignee:
        query = query.where(ServiceRequest.assignee_id == uuid.UUID(assignee))
    if text.strip():
        query = query.where(_text_match(text))
    prefilter = _sla_prefilter(sla, now)
    if prefilter is not None:
        query = query.where(prefilter)
    return (await session.execute(query)).all()


async def clocks_by_request(session: AsyncSession, request_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[SlaClock]]:
    """The SLA clocks of these requests, by request, each request's oldest first."""
    found: dict[uuid.UUID, list[SlaClock]] = defaultdict(list)
    if request_ids:
        for clock in await session.scalars(select(SlaClock).where(SlaClock.request_id.in_(request_ids))
                                           .order_by(SlaClock.created_at, SlaClock.name)):
            found[clock.request_id].append(clock)
    return found


def _text_match(text: str) -> object:
    pattern = text.strip().lower()
    matches = [
        func.lower(Customer.name).contains(pattern, autoescape=True),
        func.lower(func.coalesce(Customer.email, "")).contains(pattern, autoescape=True),
        func.coalesce(Customer.phone, "").contains(pattern, autoescape=True),
        func.lower(func.coalesce(Serial.serial, "")).contains(pattern, autoescape=True),
    ]
    digits = pattern.lstrip("#")
    if digits.isdigit() and len(digits) < 10:
        matches.append(ServiceRequest.number == int(digits))
    else:
        matches.append(cast(ServiceRequest.number, String) == digits)
    return or_(*matches)


def _unmet(*conditions: object) -> object:
    return exists().where(SlaClock.tenant_id == ServiceRequest.tenant_id, SlaClock.request_id == ServiceRequest.id,
                          SlaClock.started_at.is_not(None), SlaClock.met_at.is_(None), *conditions)


def _sla_prefilter(sla: str, now: datetime) -> object | None:
    """A SQL condition every request of SLA state ``sla`` meets (the exact state is decided afterwards)."""
    overdue = or_(SlaClock.breached_at.is_not(None), SlaClock.due_at <= now)
    if sla == "breached":
        return _unmet(overdue)
    if sla in ("at_risk", "on_track"):
        return _unmet(SlaClock.due_at > now, SlaClock.breached_at.is_(None))
    if sla == "attention":
        return _unmet(or_(overdue, SlaClock.due_at > now))
    if sla == "paused":
        return _unmet(SlaClock.running_since.is_(None))
    if sla == "none":
        return ~_unmet()
    return None
