"""Back-orders: a part a job found short is ordered from its supplier, the job's service request waits for parts
meanwhile (its ``parts_wait`` clock runs, the repair clock stands still), the customer is told the expected date,
and on receipt the parts enter stock, are reserved for the job and the repair goes on.

A back-order is open until it is received; an open one past its expected date is *late* (listed with
``late=true``) — the supplier's promise, not the vertical's parts-wait clock, which runs on the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.parts import ledger, reservations
from aftersales.parts.models import Condition, MovementKind, StockMovement
from aftersales.parts.supply import notices
from aftersales.parts.supply.catalogue import check_quantity, clean_text, find_location, find_part
from aftersales.parts.supply.models import Backorder, BackorderState
from aftersales.service.models import ServiceRequest
from aftersales.service.requests import services as requests
from aftersales.service.states import FINAL, RequestState
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)
MAX_LEAD_DAYS = 366
"""How far ahead a supplier's expected date may be: a year, against a mistyped year."""


@dataclass(frozen=True)
class BackorderAsk:
    """A back-order as staff place it: which part, how many, for which request, received where, and the
    supplier's word (the catalogue's supplier when none is given)."""

    part_id: UUID
    quantity: int
    request_id: UUID
    location_id: UUID
    expected_on: date
    supplier: str | None = None
    supplier_reference: str = ""


async def place(session: AsyncSession, tenant: CurrentTenant, ask: BackorderAsk, *, actor: str,
                now: datetime) -> Backorder:
    """Order the part from its supplier for the request, which moves to ``waiting_for_parts`` (or, already
    waiting, gets a timeline note), and tell the customer the expected date.

    :raises InvalidInput: every bad field at once; nothing is written.
    :raises Conflict: the request cannot wait for parts from where it stands (received, ready, ended).
    """
    errors: list[FieldError] = []
    part = await find_part(session, ask.part_id, "part_id", errors)
    check_quantity(ask.quantity, "quantity", errors)
    await find_location(session, ask.location_id, "location_id", errors)
    request = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == ask.request_id))
    if request is None:
        errors.append(FieldError("request_id", "no such service request", code="parts.unknown_request"))
    today = now.astimezone(tenant.calendar.zone).date()
    if ask.expected_on < today:
        errors.append(FieldError("expected_on", "must not be before today", code="parts.expected_in_past"))
    elif ask.expected_on > today + timedelta(days=MAX_LEAD_DAYS):
        errors.append(FieldError("expected_on", f"must be within {MAX_LEAD_DAYS} days"))
    supplier = clean_text(ask.supplier if ask.supplier is not None else (part.supplier or "") if part else "",
                          "supplier", errors, required=part is not None)
    reference = clean_text(ask.supplier_reference, "supplier_reference", errors, required=False, limit=100)
    if errors:
        raise InvalidInput("the back-order cannot be placed", errors)
    assert part is not None and request is not None
    state = RequestState(request.state)
    if state in FINAL:
        raise Conflict(f"the request is {request.state}; an ended request does not wait for parts",
                       code="parts.request_ended")
    backorder = Backorder(part_id=part.id, quantity=ask.quantity, supplier=supplier, supplier_reference=reference,
                          expected_on=ask.expected_on, location_id=ask.location_id, request_id=request.id,
                          placed_by=actor, created_at=now)
    session.add(backorder)
    if state is not RequestState.WAITING_FOR_PARTS:
        await requests.move_request(session, tenant, request.id, RequestState.WAITING_FOR_PARTS, actor=actor,
                                    note="", now=now)
    what = {"quantity": ask.quantity, "part": f"{part.code} ({part.name})", "supplier": supplier,
            "expected": ask.expected_on}
    reservations.on_timeline(session, request.id, _(
        "{quantity} × {part} back-ordered from {supplier} (reference {reference}), expected on {expected}",
        reference=reference, **what) if reference else _(
        "{quantity} × {part} back-ordered from {supplier}, expected on {expected}", **what), actor=actor, now=now)
    await session.flush()
    await notices.repair_delayed(session, tenant, request, backorder, part, now=now)
    return backorder


async def receive(session: AsyncSession, tenant: CurrentTenant, backorder_id: UUID, *, actor: str,
                  now: datetime) -> Backorder:
    """The supplier's parts arrived: a ``receipt`` enters them into stock at the back-order's location and the
    quantity is reserved for the request; when the request waits for nothing else it moves on to ``in_repair``,
    and the customer is told. A request that ended meanwhile gets no reservation: the parts stay on the shelf.

    :raises NotFound: no such back-order. :raises Conflict: it was received already.
    """
    backorder = await get_backorder(session, backorder_id)
    claimed = await session.execute(update(Backorder).where(Backorder.id == backorder.id,
                                                             Backorder.state == BackorderState.OPEN.value)
                                     .values(state=BackorderState.RECEIVED.value, received_at=now,
                                             received_by=actor))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # a concurrent receipt won the row
        raise Conflict("the back-order was received already",
                       code="parts.backorder_not_open")
    await session.refresh(backorder)
    await ledger.record(session, StockMovement(
        part_id=backorder.part_id, location_id=backorder.location_id, condition=Condition.NEW.value,
        kind=MovementKind.RECEIPT.value, on_hand_delta=backorder.quantity, reserved_delta=0,
        request_id=backorder.request_id, reason=f"back-order {backorder.supplier_reference or backorder.id} from "
                                                f"{backorder.supplier}", actor=actor), now=now)
    request = await requests.get_request(session, backorder.request_id)
    if RequestState(request.state) in FINAL:
        return backorder
    held = await reservations.reserve(session, tenant, part_id=backorder.part_id, quantity=backorder.quantity,
                                      location_id=backorder.location_id, condition=Condition.NEW.value,
                                      request_id=request.id, actor=actor, now=now)
    backorder.reservation_id = held.id
    part = await find_part(session, backorder.part_id, "part_id", [])
    assert part is not None
    still_waiting = await session.scalar(select(Backorder.id).where(
        Backorder.request_id == request.id, Backorder.state == BackorderState.OPEN.value).limit(1))
    if RequestState(request.state) is RequestState.WAITING_FOR_PARTS and still_waiting is None:
        await requests.move_request(session, tenant, request.id, RequestState.IN_REPAIR, actor=actor, note="",
                                    now=now)
    reservations.on_timeline(session, request.id, _(
        "{quantity} × {part} arrived from {supplier} and is reserved for this repair", quantity=backorder.quantity,
        part=f"{part.code} ({part.name})", supplier=backorder.supplier), actor=actor, now=now)
    await session.flush()
    await notices.part_arrived(session, tenant, request, backorder, part, now=now)
    return backorder


async def get_backorder(session: AsyncSession, backorder_id: UUID) -> Backorder:
    """:raises NotFound: the session's tenant has no such back-order."""
    backorder = await session.scalar(select(Backorder).where(Backorder.id == backorder_id))
    if backorder is None:
        raise NotFound("no such back-order")
    return backorder


async def list_backorders(session: AsyncSession, *, state: str | None = None, late_on: date | None = None,
                          request_id: UUID | None = None) -> list[Backorder]:
    """Back-orders, earliest expected first: in ``state``, of one request, or (``late_on``) open and expected
    before that day."""
    query = select(Backorder).order_by(Backorder.expected_on, Backorder.created_at, Backorder.id)
    if state is not None:
        query = query.where(Backorder.state == state)
    if late_on is not None:
        query = query.where(Backorder.state == BackorderState.OPEN.value, Backorder.expected_on < late_on)
    if request_id is not None:
        query = query.where(Backorder.request_id == request_id)
    return list(await session.scalars(query))


async def awaited_by_customer(session: AsyncSession, request_id: UUID, customer_id: UUID) -> list[Backorder]:
    """The back-orders of one of the customer's own requests. :raises NotFound: not their request."""
    request = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == request_id,
                                                                ServiceRequest.customer_id == customer_id))
    if request is None:
        raise NotFound("no such service request")
    return await list_backorders(session, request_id=request.id)
