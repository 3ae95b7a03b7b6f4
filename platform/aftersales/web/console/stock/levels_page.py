"""Stock by location (``/console/stock``) and the reorder list (``/console/stock/reorder``), read from the stock
ledger's sums (:func:`aftersales.parts.levels.levels`) and the buffer rules (:func:`aftersales.parts.minimums.
reorder_list`): per location, each part's on hand, reserved and available, new and used apart, the parts below
their minimum marked. Reading needs ``stock:read``; an unknown filter value is dropped and said (422)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request, get
from litestar.response import Template

from aftersales.http.context import SessionDep, TenantDep
from aftersales.parts.levels import levels
from aftersales.parts.minimums import list_minimums, reorder_list
from aftersales.parts.models import StockLocation
from aftersales.service.quotes.models import PartPrice
from aftersales.web.console.console_pages import console_page, show
from aftersales.web.console.stock import access
from aftersales.web.console.stock.choices import (
    location_choices,
    locations_by_id,
    part_choices,
    part_name,
    parts_by_id,
)
from aftersales.web.console.stock.filters import read_filter
from aftersales.web.console.stock.words import StockLabels
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController


@dataclass(frozen=True)
class StockRow:
    """A part in one condition at a location; ``minimum`` is the location's buffer of the part (every condition
    together), ``below`` whether its available is under it."""

    part: PartPrice
    name: str
    condition: str
    on_hand: int
    reserved: int
    minimum: int | None
    below: bool

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class Place:
    """A location and its rows, by part code."""

    location: StockLocation
    rows: list[StockRow]


@dataclass(frozen=True)
class ReorderRow:
    """A part below its buffer at a location and the quantity the buffer rule suggests ordering."""

    part_code: str
    part_name: str
    supplier: str | None
    location_code: str
    location_name: str
    available: int
    minimum: int
    suggested: int


class ConsoleStockController(PageController):
    """Stock by location and the reorder list."""

    @get("/console/stock")
    async def stock_page(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                         viewer: ViewerDep) -> Template:
        """Per location, what it holds of each part (the locations alone for HTMX)."""
        access.reader(viewer)
        page, clock = console_page(request, tenant, viewer)
        parts, locations = await parts_by_id(session), await locations_by_id(session)
        which, bad = read_filter(request.query_params, parts=parts, locations=locations)
        found = await levels(session, part_id=which.part_id, location_id=which.location_id)
        minimums = {(m.part_id, m.location_id): m.minimum
                    for m in await list_minimums(session, location_id=which.location_id)}
        below = {(r.part.id, r.location.id) for r in await reorder_list(session, location_id=which.location_id)}
        rows: dict[uuid.UUID, list[StockRow]] = {}
        for level in found:
            if (part := parts.get(level.part_id)) is None:
                continue
            key = (level.part_id, level.location_id)
            rows.setdefault(level.location_id, []).append(StockRow(
                part, part_name(part, page.locale), level.condition, level.on_hand, level.reserved,
                minimums.get(key), key in below))
        for part_id, location_id in below - {(lv.part_id, lv.location_id) for lv in found}:
            if which.part_id in (None, part_id) and part_id in parts:  # a buffer with nothing left at all
                part = parts[part_id]
                rows.setdefault(location_id, []).append(StockRow(
                    part, part_name(part, page.locale), "new", 0, 0, minimums.get((part_id, location_id)), True))
        places = [Place(loc, sorted(rows[loc.id], key=lambda r: (r.part.code, r.condition)))
                  for loc in locations.values() if loc.id in rows]
        return show(request, page, clock, "console/stock/levels.html", partial="console/stock/levels_rows.html",
                    status_code=422 if bad else 200, section="stock", tab="levels", which=which, bad=bad,
                    places=places, part_choices=part_choices(parts.values(), page.locale),
                    location_choices=location_choices(locations.values()),
                    stock_labels=StockLabels(page.translations))

    @get("/console/stock/reorder")
    async def reorder_page(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                           viewer: ViewerDep) -> Template:
        """The parts under their buffer minimum, by location, with the quantity to order."""
        access.reader(viewer)
        page, clock = console_page(request, tenant, viewer)
        rows = [ReorderRow(r.part.code, part_name(r.part, page.locale), r.part.supplier, r.location.code,
                           r.location.name, r.available, r.minimum.minimum, r.suggested_quantity)
                for r in await reorder_list(session)]
        return show(request, page, clock, "console/stock/reorder.html", section="stock", tab="reorder", rows=rows,
                    stock_labels=StockLabels(page.translations))
