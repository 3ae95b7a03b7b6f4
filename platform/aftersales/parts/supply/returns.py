"""Faulty parts back to the maker: a part removed from a unit repaired under warranty is tagged faulty (as many
as were issued to that repair), collected into a return batch per supplier under its RMA number, sent, and closed
with the supplier's credit — recorded against the warranty cost the batch's parts stand for — or rejected with
the supplier's reason.

A batch moves ``open`` → ``sent`` → ``credited`` | ``rejected``; each move is a conditional update, so two
clerks racing on one batch cannot both move it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.values import ClaimDecision
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.bodies import beyond_cap
from aftersales.parts.models import MovementKind, StockMovement
from aftersales.parts.supply.catalogue import check_quantity, clean_text, find_part
from aftersales.parts.supply.models import BatchState, FaultyPart, FaultyState, ReturnBatch
from aftersales.service.models import ServiceRequest
from aftersales.service.quotes.models import ServiceQuote
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import Claim

WARRANTY_DECISIONS = frozenset({ClaimDecision.FREE_REPAIR.value})
"""Claim decisions under which a repair's parts are the maker's cost."""
MAX_RMA = 60


async def tag_faulty(session: AsyncSession, tenant: CurrentTenant, *, request_id: UUID, part_id: UUID, quantity: int,
                     actor: str, now: datetime) -> FaultyPart:
    """Record faulty parts removed in a warranty repair as awaiting return to the part's supplier, at the part's
    list price as their warranty cost.

    :raises InvalidInput: unknown request or part, a bad quantity, a part without a supplier.
    :raises Conflict: the repair is not under warranty (``parts.not_under_warranty``), or more would be tagged
        than were issued to it (``parts.more_than_issued``).
    """
    errors: list[FieldError] = []
    part = await find_part(session, part_id, "part_id", errors)
    check_quantity(quantity, "quantity", errors)
    request = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == request_id))
    if request is None:
        errors.append(FieldError("request_id", "no such service request", code="parts.unknown_request"))
    if part is not None and not part.supplier:
        errors.append(FieldError("part_id", "the catalogue names no supplier for this part",
                                 code="parts.no_supplier"))
    if errors:
        raise InvalidInput("the faulty part cannot be tagged", errors)
    assert part is not None and request is not None and part.supplier
    if not await under_warranty(session, request):
        raise Conflict("the repair is not under warranty; its faulty parts do not go back to the supplier",
                       code="parts.not_under_warranty")
    issued = await session.scalar(select(func.coalesce(func.sum(-StockMovement.on_hand_delta), 0)).where(
        StockMovement.request_id == request.id, StockMovement.part_id == part.id,
        StockMovement.kind == MovementKind.ISSUE.value)) or 0
    tagged = await session.scalar(select(func.coalesce(func.sum(FaultyPart.quantity), 0)).where(
        FaultyPart.request_id == request.id, FaultyPart.part_id == part.id)) or 0
    if tagged + quantity > issued:
        raise Conflict(f"{issued} of {part.code} were issued to this repair and {tagged} tagged faulty already",
                       code="parts.more_than_issued", params={"issued": int(issued), "tagged": int(tagged)})
    faulty = FaultyPart(part_id=part.id, quantity=quantity, request_id=request.id, supplier=part.supplier,
                        warranty_cost_minor=part.price_minor * quantity, currency=part.currency, tagged_by=actor,
                        created_at=now)
    session.add(faulty)
    await session.flush()
    return faulty


async def under_warranty(session: AsyncSession, request: ServiceRequest) -> bool:
    """Whether the request's repair is the maker's cost: its claim was decided a free repair, or its accepted
    quote is under warranty."""
    if request.claim_id is not None:
        decision = await session.scalar(select(Claim.decision).where(Claim.id == request.claim_id))
        if decision in WARRANTY_DECISIONS:
            return True
    accepted = await session.scalar(select(ServiceQuote.under_warranty).where(
        ServiceQuote.request_id == request.id, ServiceQuote.state == "accepted"))
    return bool(accepted)


async def awaiting_return(session: AsyncSession, supplier: str | None = None) -> list[FaultyPart]:
    """Faulty parts not in a batch yet (of one supplier), oldest first."""
    query = select(FaultyPart).where(FaultyPart.state == FaultyState.AWAITING_RETURN.value)
    if supplier is not None:
        query = query.where(FaultyPart.supplier == supplier)
    return list(await session.scalars(query.order_by(FaultyPart.created_at, FaultyPart.id)))


async def open_batch(session: AsyncSession, *, supplier: str, rma_number: str, faulty_ids: Sequence[UUID] | None,
                     actor: str, now: datetime) -> ReturnBatch:
    """Collect faulty parts of one supplier into a return batch under its RMA number: the ones named, or every
    one awaiting return to that supplier.

    :raises InvalidInput: bad text, a faulty part unknown, of another supplier or batched already
        (``faulty_ids.N``). :raises Conflict: nothing to return (``parts.batch_empty``); the RMA number is
        taken for this supplier (``parts.rma_taken``).
    """
    errors: list[FieldError] = []
    supplier = clean_text(supplier, "supplier", errors, required=True)
    rma = clean_text(rma_number, "rma_number", errors, required=True, limit=MAX_RMA)
    if errors:
        raise InvalidInput("the return batch cannot be opened", errors)
    if faulty_ids is None:
        parts = await awaiting_return(session, supplier)
    else:
        found = {p.id: p for p in await session.scalars(select(FaultyPart).where(FaultyPart.id.in_(set(faulty_ids))))}
        parts = []
        for n, faulty_id in enumerate(faulty_ids):
            part = found.get(faulty_id)
            if part is None:
                errors.append(FieldError(f"faulty_ids.{n}", "no such faulty part", code="parts.unknown_faulty"))
            elif part.supplier != supplier:
                errors.append(FieldError(f"faulty_ids.{n}", f"goes back to {part.supplier}, not {supplier}"))
            elif part.state != FaultyState.AWAITING_RETURN.value or part in parts:
                errors.append(FieldError(f"faulty_ids.{n}", "is in a batch already"))
            else:
                parts.append(part)
        if errors:
            raise InvalidInput("the return batch cannot be opened", errors)
    if not parts:
        raise Conflict(f"no faulty part awaits return to {supplier}", code="parts.batch_empty")
    batch = ReturnBatch(supplier=supplier, rma_number=rma, opened_by=actor, created_at=now)
    try:
        async with session.begin_nested():
            session.add(batch)
    except IntegrityError as error:
        raise Conflict(f"RMA {rma} of {supplier} is another batch's", code="parts.rma_taken") from error
    moved = await session.execute(update(FaultyPart).where(
        FaultyPart.id.in_([p.id for p in parts]), FaultyPart.state == FaultyState.AWAITING_RETURN.value)
        .values(state=FaultyState.BATCHED.value, batch_id=batch.id))
    if moved.rowcount != len(parts):  # type: ignore[attr-defined]  # another batch took one meanwhile
        raise Conflict("a faulty part named went into another batch meanwhile", code="parts.batched_meanwhile")
    return batch


async def send(session: AsyncSession, batch_id: UUID, *, actor: str, now: datetime) -> ReturnBatch:
    """The batch leaves for its supplier. :raises Conflict: it is not open."""
    return await _move(session, batch_id, BatchState.OPEN, BatchState.SENT, sent_at=now, sent_by=actor)


async def credit(session: AsyncSession, tenant: CurrentTenant, batch_id: UUID, amount_minor: int, *, actor: str,
                 now: datetime) -> ReturnBatch:
    """The supplier credited the sent batch ``amount_minor`` of the tenant's currency.

    :raises InvalidInput: a negative amount or one beyond the currency's cap. :raises Conflict: not sent.
    """
    currency = tenant.record.currency
    if amount_minor < 0:
        raise InvalidInput("the credit cannot be recorded", [FieldError("credit_minor", "must not be negative")])
    if errors := beyond_cap("credit_minor", Money(amount_minor, currency)):
        raise InvalidInput("the credit cannot be recorded", errors)
    return await _move(session, batch_id, BatchState.SENT, BatchState.CREDITED, closed_at=now, closed_by=actor,
                       credit_minor=amount_minor, currency=currency)


async def reject(session: AsyncSession, batch_id: UUID, reason: str, *, actor: str, now: datetime) -> ReturnBatch:
    """The supplier refused the sent batch, for ``reason``. :raises InvalidInput: no reason. :raises Conflict: not
    sent."""
    errors: list[FieldError] = []
    text = clean_text(reason, "reason", errors, required=True, limit=2000)
    if errors:
        raise InvalidInput("the rejection cannot be recorded", errors)
    return await _move(session, batch_id, BatchState.SENT, BatchState.REJECTED, closed_at=now, closed_by=actor,
                       rejection_reason=text)


async def _move(session: AsyncSession, batch_id: UUID, current: BatchState, target: BatchState,
                **values: object) -> ReturnBatch:
    batch = await get_batch(session, batch_id)
    moved = await session.execute(update(ReturnBatch).where(ReturnBatch.id == batch.id,
                                                            ReturnBatch.state == current.value)
                                  .values(state=target.value, **values))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"the batch is {batch.state}; only a {current.value} batch becomes {target.value}",
                       code="parts.batch_state", params={"state": batch.state})
    await session.refresh(batch)
    return batch


async def get_batch(session: AsyncSession, batch_id: UUID) -> ReturnBatch:
    """:raises NotFound: the session's tenant has no such batch."""
    batch = await session.scalar(select(ReturnBatch).where(ReturnBatch.id == batch_id))
    if batch is None:
        raise NotFound("no such return batch")
    return batch


async def list_batches(session: AsyncSession, state: str | None = None) -> list[ReturnBatch]:
    """Return batches, newest first (in ``state``)."""
    query = select(ReturnBatch).order_by(ReturnBatch.created_at.desc(), ReturnBatch.id)
    if state is not None:
        query = query.where(ReturnBatch.state == state)
    return list(await session.scalars(query))


@dataclass(frozen=True)
class BatchAccount:
    """A batch's parts, the warranty cost of its jobs' parts and the supplier's credit against it."""

    batch: ReturnBatch
    parts: list[FaultyPart]
    warranty_cost: Money
    credit: Money | None

    @property
    def uncovered(self) -> Money:
        """What the warranty cost the tenant beyond the supplier's credit (all of it until credited)."""
        credited = self.credit.amount_minor if self.credit else 0
        return Money(self.warranty_cost.amount_minor - credited, self.warranty_cost.currency)


async def account(session: AsyncSession, tenant: CurrentTenant, batch_id: UUID) -> BatchAccount:
    """The batch with its parts and its warranty cost against the credit (costs in another currency than the
    tenant's are not summed in: a price list is kept in the tenant's currency)."""
    batch = await get_batch(session, batch_id)
    parts = list(await session.scalars(select(FaultyPart).where(FaultyPart.batch_id == batch.id)
                                       .order_by(FaultyPart.created_at, FaultyPart.id)))
    currency = tenant.record.currency
    cost = Money(sum(p.warranty_cost_minor for p in parts if p.currency == currency), currency)
    credit = Money(batch.credit_minor, batch.currency) if batch.credit_minor is not None and batch.currency else None
    return BatchAccount(batch=batch, parts=parts, warranty_cost=cost, credit=credit)
