"""Parts-supply endpoints: back-orders (``/api/v1/stock/backorders``), donor units and used parts
(``/api/v1/stock/donors``), faulty parts and supplier return batches (``/api/v1/stock/returns``).

Staff need ``parts:supply``; a customer (``customer:self``) reads only the parts their own request waits for.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.scopes import CUSTOMER_SELF, PARTS_SUPPLY
from aftersales.parts.supply import backorders, donors, returns
from aftersales.parts.supply.models import BackorderState, BatchState
from aftersales.parts.supply.schemas import (
    BackorderIn,
    BackorderOut,
    BatchIn,
    BatchOut,
    CreditIn,
    DonorIn,
    DonorOut,
    ExpectedPartOut,
    FaultyIn,
    FaultyOut,
    HarvestIn,
    HarvestOut,
    RejectionIn,
    UsedPartIn,
    UsedPartOut,
    backorder_out,
    batch_out,
    donor_out,
    expected_part_out,
    faulty_out,
    harvest_out,
    used_part_out,
)
from aftersales.service.quotes.models import PartPrice
from aftersales.service.requests.services import get_request
from aftersales.tenancy.current import CurrentTenant


def _today(tenant: CurrentTenant) -> Any:
    return utcnow().astimezone(tenant.calendar.zone).date()


class BackorderController(Controller):
    """Parts ordered from suppliers for jobs that found them short."""

    path = "/api/v1/stock/backorders"
    tags = ("parts",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="placeBackorder", guards=[requires_scope(PARTS_SUPPLY)])
    async def place(self, request: Request[Any, Any, Any], data: JSONBody[BackorderIn], session: SessionDep,
                    tenant: TenantDep) -> BackorderOut:
        """Order a part from its supplier for a request: the request waits for parts (its parts-wait clock runs,
        the repair clock pauses), the timeline names the part and the expected date, the customer is told
        (422 names every bad field; 409 when the request cannot wait for parts from its state)."""
        ask = backorders.BackorderAsk(part_id=data.part_id, quantity=data.quantity, request_id=data.request_id,
                                      location_id=data.location_id, expected_on=data.expected_on,
                                      supplier=data.supplier, supplier_reference=data.supplier_reference)
        placed = await backorders.place(session, tenant, ask, actor=actor(request), now=utcnow())
        return backorder_out(placed, _today(tenant))

    @get("/", operation_id="listBackorders", guards=[requires_scope(PARTS_SUPPLY)])
    async def list_all(self, session: SessionDep, tenant: TenantDep,
                       in_state: Annotated[BackorderState | None, QueryParameter(name="state")] = None,
                       late: FromQuery[bool] = False,
                       request_id: FromQuery[UUID | None] = None) -> list[BackorderOut]:
        """Back-orders, earliest expected first; ``late=true``: open ones past their expected date."""
        today = _today(tenant)
        found = await backorders.list_backorders(session, state=in_state, late_on=today if late else None,
                                                 request_id=request_id)
        return [backorder_out(b, today) for b in found]

    @get("/{backorder_id:uuid}", operation_id="getBackorder", guards=[requires_scope(PARTS_SUPPLY)])
    async def get_one(self, backorder_id: FromPath[UUID], session: SessionDep, tenant: TenantDep) -> BackorderOut:
        """One back-order (404 when the tenant has none with this id)."""
        return backorder_out(await backorders.get_backorder(session, backorder_id), _today(tenant))

    @post("/{backorder_id:uuid}/receipt", operation_id="receiveBackorder", status_code=200,
          guards=[requires_scope(PARTS_SUPPLY)])
    async def receive(self, request: Request[Any, Any, Any], backorder_id: FromPath[UUID], session: SessionDep,
                      tenant: TenantDep) -> BackorderOut:
        """The parts arrived: received into stock, reserved for the request, which goes back into repair when it
        waits for nothing else; the customer is told (409 when not open)."""
        received = await backorders.receive(session, tenant, backorder_id, actor=actor(request), now=utcnow())
        return backorder_out(received, _today(tenant))

    @get("/requests/{request_id:uuid}", operation_id="listExpectedParts",
         guards=[requires_any_scope(PARTS_SUPPLY, CUSTOMER_SELF)])
    async def expected(self, request: Request[Any, Any, Any], request_id: FromPath[UUID],
                       session: SessionDep) -> list[ExpectedPartOut]:
        """The parts a request waits for (or waited for) and when each is expected, the date also in the
        reader's language and calendar (a customer: their own request only, else 404)."""
        customer = current_principal(request).customer_id
        if customer is not None:
            found = await backorders.awaited_by_customer(session, request_id, customer)
        else:
            await get_request(session, request_id)
            found = await backorders.list_backorders(session, request_id=request_id)
        parts = {p.id: p for p in await session.scalars(select(PartPrice).where(
            PartPrice.id.in_({b.part_id for b in found})))}
        return [expected_part_out(b, parts[b.part_id]) for b in found]


class DonorController(Controller):
    """Donor units, the parts harvested from them, and used parts taken for urgent jobs."""

    path = "/api/v1/stock/donors"
    tags = ("parts",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="registerDonorUnit", guards=[requires_scope(PARTS_SUPPLY)])
    async def register(self, request: Request[Any, Any, Any], data: JSONBody[DonorIn], session: SessionDep,
                       tenant: TenantDep) -> DonorOut:
        """Register a replaced, scrapped or taken-in unit as a donor, by serial or registration (409 when it is
        a donor already)."""
        ask = donors.DonorAsk(source=data.source, location_id=data.location_id, serial=data.serial,
                              registration_id=data.registration_id, note=data.note)
        return donor_out(await donors.register(session, tenant, ask, actor=actor(request), now=utcnow()))

    @get("/", operation_id="listDonorUnits", guards=[requires_scope(PARTS_SUPPLY)])
    async def list_all(self, session: SessionDep) -> list[DonorOut]:
        """Every donor unit, newest first."""
        return [donor_out(d) for d in await donors.list_donors(session)]

    @get("/{donor_id:uuid}", operation_id="getDonorUnit", guards=[requires_scope(PARTS_SUPPLY)])
    async def get_one(self, donor_id: FromPath[UUID], session: SessionDep) -> DonorOut:
        """One donor unit (404 when the tenant has none with this id)."""
        return donor_out(await donors.get_donor(session, donor_id))

    @post("/{donor_id:uuid}/harvests", operation_id="harvestDonorUnit", guards=[requires_scope(PARTS_SUPPLY)])
    async def harvest(self, request: Request[Any, Any, Any], donor_id: FromPath[UUID], data: JSONBody[HarvestIn],
                      session: SessionDep) -> list[HarvestOut]:
        """Put the donor's usable parts into stock as used parts naming it (409 when a part of it was harvested
        already)."""
        lines = [donors.HarvestLine(part_id=line.part_id, quantity=line.quantity) for line in data.lines]
        return [harvest_out(h) for h in await donors.harvest(session, donor_id, lines, actor=actor(request),
                                                             now=utcnow())]

    @get("/{donor_id:uuid}/harvests", operation_id="listDonorHarvests", guards=[requires_scope(PARTS_SUPPLY)])
    async def harvests(self, donor_id: FromPath[UUID], session: SessionDep) -> list[HarvestOut]:
        """What was harvested from the donor unit."""
        return [harvest_out(h) for h in await donors.harvests_of(session, donor_id)]

    @post("/used-parts", operation_id="takeUsedPart", guards=[requires_scope(PARTS_SUPPLY)])
    async def take_used(self, request: Request[Any, Any, Any], data: JSONBody[UsedPartIn], session: SessionDep,
                        tenant: TenantDep) -> UsedPartOut:
        """An urgent job takes a used part when no new one is available at the location: reserved as used, with
        the customer's warranty on it as the vertical gives it, noted on the request's timeline (409
        ``parts.new_available`` when a new one is there; ``parts.short`` when not enough used either)."""
        taken = await donors.take_used(session, tenant, request_id=data.request_id, part_id=data.part_id,
                                       quantity=data.quantity, location_id=data.location_id, actor=actor(request),
                                       now=utcnow())
        return used_part_out(taken)


class ReturnController(Controller):
    """Faulty parts replaced under warranty, going back to their suppliers in RMA batches."""

    path = "/api/v1/stock/returns"
    tags = ("parts",)
    dependencies = TOKEN_TENANT

    @post("/faulty", operation_id="tagFaultyPart", guards=[requires_scope(PARTS_SUPPLY)])
    async def tag(self, request: Request[Any, Any, Any], data: JSONBody[FaultyIn], session: SessionDep,
                  tenant: TenantDep) -> FaultyOut:
        """Record faulty parts removed in a warranty repair, awaiting return to the supplier (409 when the
        repair is not under warranty or more would be tagged than were issued to it)."""
        faulty = await returns.tag_faulty(session, tenant, request_id=data.request_id, part_id=data.part_id,
                                          quantity=data.quantity, actor=actor(request), now=utcnow())
        return faulty_out(faulty)

    @get("/faulty", operation_id="listFaultyParts", guards=[requires_scope(PARTS_SUPPLY)])
    async def faulty(self, session: SessionDep,
                     supplier: Annotated[str | None, QueryParameter(max_length=200)] = None) -> list[FaultyOut]:
        """Faulty parts awaiting return (to one supplier), oldest first."""
        return [faulty_out(f) for f in await returns.awaiting_return(session, supplier)]

    @post("/batches", operation_id="openReturnBatch", guards=[requires_scope(PARTS_SUPPLY)])
    async def open_batch(self, request: Request[Any, Any, Any], data: JSONBody[BatchIn], session: SessionDep,
                         tenant: TenantDep) -> BatchOut:
        """Collect faulty parts of one supplier into a batch under its RMA number (409 when none await return or
        the RMA number is taken)."""
        batch = await returns.open_batch(session, supplier=data.supplier, rma_number=data.rma_number,
                                         faulty_ids=data.faulty_ids, actor=actor(request), now=utcnow())
        return batch_out(await returns.account(session, tenant, batch.id))

    @get("/batches", operation_id="listReturnBatches", guards=[requires_scope(PARTS_SUPPLY)])
    async def batches(self, session: SessionDep, tenant: TenantDep,
                      in_state: Annotated[BatchState | None, QueryParameter(name="state")] = None) -> list[BatchOut]:
        """Return batches, newest first, each with its warranty cost against the credit."""
        return [batch_out(await returns.account(session, tenant, b.id))
                for b in await returns.list_batches(session, in_state)]

    @get("/batches/{batch_id:uuid}", operation_id="getReturnBatch", guards=[requires_scope(PARTS_SUPPLY)])
    async def get_one(self, batch_id: FromPath[UUID], session: SessionDep, tenant: TenantDep) -> BatchOut:
        """One batch with its parts, jobs, warranty cost and credit (404 when the tenant has none)."""
        return batch_out(await returns.account(session, tenant, batch_id))

    @post("/batches/{batch_id:uuid}/sending", operation_id="sendReturnBatch", status_code=200,
          guards=[requires_scope(PARTS_SUPPLY)])
    async def send(self, request: Request[Any, Any, Any], batch_id: FromPath[UUID], session: SessionDep,
                   tenant: TenantDep) -> BatchOut:
        """The batch leaves for its supplier (409 unless open)."""
        await returns.send(session, batch_id, actor=actor(request), now=utcnow())
        return batch_out(await returns.account(session, tenant, batch_id))

    @post("/batches/{batch_id:uuid}/credit", operation_id="creditReturnBatch", status_code=200,
          guards=[requires_scope(PARTS_SUPPLY)])
    async def credit(self, request: Request[Any, Any, Any], batch_id: FromPath[UUID], data: JSONBody[CreditIn],
                     session: SessionDep, tenant: TenantDep) -> BatchOut:
        """Record the supplier's credit for the sent batch in the tenant's currency (409 unless sent)."""
        await returns.credit(session, tenant, batch_id, data.credit_minor, actor=actor(request), now=utcnow())
        return batch_out(await returns.account(session, tenant, batch_id))

    @post("/batches/{batch_id:uuid}/rejection", operation_id="rejectReturnBatch", status_code=200,
          guards=[requires_scope(PARTS_SUPPLY)])
    async def reject(self, request: Request[Any, Any, Any], batch_id: FromPath[UUID], data: JSONBody[RejectionIn],
                     session: SessionDep, tenant: TenantDep) -> BatchOut:
        """The supplier refused the sent batch, with its reason (409 unless sent)."""
        await returns.reject(session, batch_id, data.reason, actor=actor(request), now=utcnow())
        return batch_out(await returns.account(session, tenant, batch_id))
