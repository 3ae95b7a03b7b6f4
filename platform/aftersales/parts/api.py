"""Stock endpoints (``/api/v1/stock``): locations, stock by location, the ledger's movements, jobs'
reservations, minimums and the reorder list, and the CSV import. The parts catalogue itself is the price list's
(``/api/v1/marketplace/parts``)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, Parameter, QueryParameter

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.http.paging import DEFAULT_LIMIT, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.guards import actor, requires_scope
from aftersales.identity.scopes import STOCK_READ, STOCK_WRITE
from aftersales.parts import imports, locations, minimums, movements, reservations
from aftersales.parts.levels import levels
from aftersales.parts.schemas import (
    AdjustmentIn,
    ImportOut,
    IssueIn,
    LevelOut,
    LocationIn,
    LocationOut,
    MinimumIn,
    MinimumOut,
    MovementIn,
    MovementOut,
    MovementPage,
    ReceiptIn,
    ReorderOut,
    ReservationIn,
    ReservationOut,
    ReturnIn,
    TransferIn,
    TransferOut,
    level_out,
    location_out,
    minimum_out,
    movement_out,
    reorder_out,
    reservation_out,
)

Reason = Annotated[str, Parameter(max_length=500, description="Why: every movement of the file carries it.")]


def _moved(data: MovementIn, **extra: Any) -> movements.Moved:
    return movements.Moved(part_id=data.part_id, location_id=data.location_id, quantity=data.quantity,
                           condition=data.condition, reason=data.reason, **extra)


class StockLocationController(Controller):
    """Where the tenant keeps parts: warehouses, service points, technicians' vans."""

    path = "/api/v1/stock/locations"
    tags = ("parts",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="createStockLocation", guards=[requires_scope(STOCK_WRITE)])
    async def create(self, data: JSONBody[LocationIn], session: SessionDep) -> LocationOut:
        """Add a location (422 names every bad field, e.g. a warehouse of no such id; 409 when the code is taken)."""
        place = await locations.create_location(session, locations.NewLocation(
            code=data.code, name=data.name, kind=data.kind, warehouse_id=data.warehouse_id,
            service_point_id=data.service_point_id, technician_id=data.technician_id))
        return location_out(place)

    @get("/", operation_id="listStockLocations", guards=[requires_scope(STOCK_READ)])
    async def list_all(self, session: SessionDep) -> list[LocationOut]:
        """Every stock location of the tenant, by code."""
        return [location_out(place) for place in await locations.list_locations(session)]

    @get("/{location_id:uuid}", operation_id="getStockLocation", guards=[requires_scope(STOCK_READ)])
    async def get_one(self, location_id: FromPath[UUID], session: SessionDep) -> LocationOut:
        """One location (404 when the tenant has none with this id)."""
        return location_out(await locations.get_location(session, location_id))


class StockController(Controller):
    """Stock by location and the ledger's movements: receipts, transfers, returns, scrap and adjustments."""

    path = "/api/v1/stock"
    tags = ("parts",)
    dependencies = TOKEN_TENANT

    @get("/", operation_id="listStock", guards=[requires_scope(STOCK_READ)])
    async def stock(self, session: SessionDep, location: FromQuery[UUID | None] = None,
                    part: FromQuery[UUID | None] = None) -> list[LevelOut]:
        """On hand, reserved and available per part, location and condition (summed over the ledger), for one
        location and/or part; what holds nothing is left out."""
        return [level_out(found) for found in await levels(session, part_id=part, location_id=location)]

    @post("/receipts", operation_id="receiveStock", guards=[requires_scope(STOCK_WRITE)])
    async def receive(self, request: Request[Any, Any, Any], data: JSONBody[ReceiptIn],
                      session: SessionDep) -> MovementOut:
        """Parts arrive at a location (used ones from a donor unit name it)."""
        return movement_out(await movements.receive(session, _moved(data, donor_unit_id=data.donor_unit_id),
                                                     actor=actor(request), now=utcnow()))

    @post("/returns", operation_id="returnStock", guards=[requires_scope(STOCK_WRITE)])
    async def give_back(self, request: Request[Any, Any, Any], data: JSONBody[ReturnIn],
                        session: SessionDep) -> MovementOut:
        """An unused part comes back from a job into stock."""
        moved = _moved(data, request_id=data.request_id, booking_id=data.booking_id)
        return movement_out(await movements.give_back(session, moved, actor=actor(request), now=utcnow()))

    @post("/scraps", operation_id="scrapStock", guards=[requires_scope(STOCK_WRITE)])
    async def scrap(self, request: Request[Any, Any, Any], data: JSONBody[MovementIn],
                    session: SessionDep) -> MovementOut:
        """Parts are thrown away (409 ``parts.short`` beyond what is available there)."""
        return movement_out(await movements.scrap(session, _moved(data), actor=actor(request), now=utcnow()))

    @post("/adjustments", operation_id="adjustStock", guards=[requires_scope(STOCK_WRITE)])
    async def adjust(self, request: Request[Any, Any, Any], data: JSONBody[AdjustmentIn],
                     session: SessionDep) -> MovementOut:
        """A count differs from the ledger: the difference, with its reason (409 ``parts.short`` for taking away
        more than is available)."""
        return movement_out(await movements.adjust(session, _moved(data), actor=actor(request), now=utcnow()))

    @post("/transfers", operation_id="transferStock", guards=[requires_scope(STOCK_WRITE)])
    async def transfer(self, request: Request[Any, Any, Any], data: JSONBody[TransferIn],
                       session: SessionDep) -> TransferOut:
        """Parts move between locations: both ledger rows or neither (409 ``parts.short``)."""
        out, into = await movements.transfer(session, _moved(data), to_location_id=data.to_location_id,
                                             actor=actor(request), now=utcnow())
        return TransferOut(out=movement_out(out), into=movement_out(into))

    @get("/movements", operation_id="listStockMovements", guards=[requires_scope(STOCK_READ)])
    async def ledger(self, session: SessionDep, part: FromQuery[UUID | None] = None,
                     location: FromQuery[UUID | None] = None, request_id: FromQuery[UUID | None] = None,
                     booking_id: FromQuery[UUID | None] = None, limit: FromQuery[int] = DEFAULT_LIMIT,
                     cursor: FromQuery[str | None] = None) -> MovementPage:
        """The ledger, newest first, by part, location or job. Pass ``next_cursor`` back as ``cursor``."""
        after = None
        if cursor is not None:
            (key,) = decode_cursor(cursor, 1)
            try:
                after = UUID(str(key))
            except ValueError:
                raise invalid_cursor() from None
        rows = await movements.movements_page(session, part_id=part, location_id=location, request_id=request_id,
                                              booking_id=booking_id, after=after, limit=check_limit(limit) + 1)
        page, next_cursor = split_page(rows, limit, lambda row: (str(row.id),))
        return MovementPage(items=[movement_out(row) for row in page], next_cursor=next_cursor)

    @post("/import", operation_id="importStock", guards=[requires_scope(STOCK_WRITE)], status_code=200,
          request_max_body_size=imports.MAX_BYTES)
    async def import_csv(self, request: Request[Any, Any, Any], session: SessionDep, reason: Reason,
                         mode: FromQuery[imports.ImportMode] = imports.ImportMode.RECEIPT) -> ImportOut:
        """Import a CSV of stock (the body, ``text/csv``: ``part,location,quantity,condition``), all rows or none
        (422 lists every bad row as ``rows.<line>.<field>``): ``mode=receipt`` adds each quantity, ``mode=count``
        sets it (the difference is an adjustment)."""
        done = await imports.import_stock(session, await request.body(), mode=mode, reason=reason, actor=actor(request),
                                          now=utcnow())
        return ImportOut(rows=done.rows, movements=[movement_out(row) for row in done.movements])


class ReservationController(Controller):
    """Jobs' holds on parts: reserve, issue what was used, release the rest."""

    path = "/api/v1/stock/reservations"
    tags = ("parts",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="reserveStock", guards=[requires_scope(STOCK_WRITE)])
    async def reserve(self, request: Request[Any, Any, Any], data: JSONBody[ReservationIn], session: SessionDep,
                      tenant: TenantDep) -> ReservationOut:
        """Hold parts for a service request or a booking (409 ``parts.short`` with the available count)."""
        held = await reservations.reserve(session, tenant, part_id=data.part_id, quantity=data.quantity,
                                          location_id=data.location_id, condition=data.condition,
                                          request_id=data.request_id, booking_id=data.booking_id,
                                          actor=actor(request), now=utcnow())
        return reservation_out(held)

    @get("/", operation_id="listStockReservations", guards=[requires_scope(STOCK_READ)])
    async def list_all(self, session: SessionDep, request_id: FromQuery[UUID | None] = None,
                       booking_id: FromQuery[UUID | None] = None,
                       held: Annotated[reservations.ReservationState | None, QueryParameter(name="state")] = None,
                       ) -> list[ReservationOut]:
        """Reservations, oldest first: a job's (``request_id`` or ``booking_id``), in a ``state``."""
        found = await reservations.reservations_of(session, request_id=request_id, booking_id=booking_id,
                                                   state=held)
        return [reservation_out(row) for row in found]

    @get("/{reservation_id:uuid}", operation_id="getStockReservation", guards=[requires_scope(STOCK_READ)])
    async def get_one(self, reservation_id: FromPath[UUID], session: SessionDep) -> ReservationOut:
        return reservation_out(await reservations.get_reservation(session, reservation_id))

    @post("/{reservation_id:uuid}/issue", operation_id="issueStockReservation", status_code=200,
          guards=[requires_scope(STOCK_WRITE)])
    async def issue(self, request: Request[Any, Any, Any], reservation_id: FromPath[UUID], data: JSONBody[IssueIn],
                    session: SessionDep) -> ReservationOut:
        """The job used the parts (``quantity`` of them; the rest are released). 409 once issued or released."""
        return reservation_out(await reservations.issue(session, reservation_id, quantity=data.quantity,
                                                        actor=actor(request), now=utcnow()))

    @post("/{reservation_id:uuid}/release", operation_id="releaseStockReservation", status_code=200,
          guards=[requires_scope(STOCK_WRITE)])
    async def release(self, request: Request[Any, Any, Any], reservation_id: FromPath[UUID],
                      session: SessionDep) -> ReservationOut:
        """The job no longer needs the parts. 409 once issued or released."""
        return reservation_out(await reservations.release(session, reservation_id, actor=actor(request),
                                                          now=utcnow()))


class MinimumController(Controller):
    """Buffer stock per part and location, and the reorder list."""

    path = "/api/v1/stock"
    tags = ("parts",)
    dependencies = TOKEN_TENANT

    @put("/minimums", operation_id="setStockMinimum", guards=[requires_scope(STOCK_WRITE)])
    async def set_minimum(self, request: Request[Any, Any, Any], data: JSONBody[MinimumIn],
                          session: SessionDep) -> MinimumOut:
        """Set the buffer of a part at a location (0: none)."""
        row = await minimums.set_minimum(session, part_id=data.part_id, location_id=data.location_id,
                                         minimum=data.minimum, reorder_quantity=data.reorder_quantity,
                                         actor=actor(request))
        return minimum_out(row)

    @get("/minimums", operation_id="listStockMinimums", guards=[requires_scope(STOCK_READ)])
    async def list_minimums(self, session: SessionDep, location: FromQuery[UUID | None] = None) -> list[MinimumOut]:
        return [minimum_out(row) for row in await minimums.list_minimums(session, location_id=location)]

    @get("/reorder", operation_id="listStockReorders", guards=[requires_scope(STOCK_READ)])
    async def reorder(self, session: SessionDep, location: FromQuery[UUID | None] = None) -> list[ReorderOut]:
        """Every part and location whose available is below its minimum, with how many to order."""
        return [reorder_out(row) for row in await minimums.reorder_list(session, location_id=location)]
