"""Stock by location (``/console/stock``) and the reorder list (``/console/stock/reorder``), read from the stock
ledger's sums (:func:`aftersales.parts.levels.levels`) and the buffer rules (:func:`aftersales.parts.minimums.
reorder_list`): per location, each part's on hand, reserved and available, new and used apart, the parts below
their minimum marked. Reading needs ``stock:read``; an unknown filter value is dropped and said (422). Staff with
``stock:write`` set a part's buffer at a location on the reorder page (:func:`aftersales.parts.minimums.
set_minimum`); a refusal is said beside its field (422) and nothing is written."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.numerals import ascii_digits
from aftersales.errors import Conflict, InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.parts.levels import levels
from aftersales.parts.minimums import MAX_MINIMUM, list_minimums, reorder_list, set_minimum
from aftersales.parts.models import StockLocation
from aftersales.service.quotes.models import PartPrice
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.console_pages import actor_of, console_page, parse_id, show
from aftersales.web.console.stock import access
from aftersales.web.console.stock.choices import (
    location_choices,
    locations_by_id,
    part_choices,
    part_name,
    parts_by_id,
)
from aftersales.web.console.stock.filters import read_filter
from aftersales.web.console.stock.refusals import conflict_reason, field_reason
from aftersales.web.console.stock.words import StockLabels
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController

BUFFER_FIELDS = ("part_id", "location_id", "minimum", "reorder_quantity")


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
        return await _reorder(request, tenant, session, viewer)

    @post("/console/stock/reorder")
    async def set_buffer(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                         viewer: ViewerDep) -> Template | Redirect:
        """Set (or change) a part's buffer at a location: the minimum and, optionally, how many to order at once."""
        staff = access.writer(viewer)
        page, clock = console_page(request, tenant, viewer)
        _ = page.translations.gettext
        typed = await form_fields(request, *BUFFER_FIELDS)
        errors: dict[str, str] = {}
        part_id, location_id = parse_id(typed["part_id"]), parse_id(typed["location_id"])
        if part_id is None:
            errors["part_id"] = _("Choose a part of the catalogue.")
        if location_id is None:
            errors["location_id"] = _("Choose an open stock location.")
        counts = {name: ascii_digits(typed[name]) for name in ("minimum", "reorder_quantity")}
        for name, least in (("minimum", 0), ("reorder_quantity", 1)):
            if (counts[name] or name == "minimum") and not (counts[name].isdigit() and len(counts[name]) < 10):
                errors[name] = _("Give a whole number from %(least)s to %(limit)s.") % {
                    "least": page.fmt.number(least), "limit": page.fmt.number(MAX_MINIMUM)}
        if errors:
            return await _reorder(request, tenant, session, viewer, status_code=422, typed=typed, errors=errors)
        try:
            async with session.begin_nested():
                await set_minimum(session, part_id=part_id, location_id=location_id, minimum=int(counts["minimum"]),
                                  reorder_quantity=int(counts["reorder_quantity"]) if counts["reorder_quantity"]
                                  else None, actor=actor_of(staff))
        except InvalidInput as exc:
            reasons = {e.field: field_reason(clock, e, least=0 if e.field == "minimum" else 1) for e in exc.errors}
            return await _reorder(request, tenant, session, viewer, status_code=422, typed=typed, errors=reasons)
        except Conflict as exc:
            return await _reorder(request, tenant, session, viewer, status_code=409, typed=typed,
                                  refusal=conflict_reason(clock, exc))
        return Redirect(page.url("/console/stock/reorder"), status_code=303)


async def _reorder(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer, *,
                   status_code: int = 200, typed: dict[str, str] | None = None,
                   errors: dict[str, str] | None = None, refusal: str = "") -> Template:
    staff = access.reader(viewer)
    page, clock = console_page(request, tenant, viewer)
    rows = [ReorderRow(r.part.code, part_name(r.part, page.locale), r.part.supplier, r.location.code,
                       r.location.name, r.available, r.minimum.minimum, r.suggested_quantity)
            for r in await reorder_list(session)]
    can_write = access.can_write(staff)
    parts = await parts_by_id(session) if can_write else {}
    locations = await locations_by_id(session) if can_write else {}
    return show(request, page, clock, "console/stock/reorder.html", status_code=status_code, section="stock",
                tab="reorder", rows=rows, stock_labels=StockLabels(page.translations), can_write=can_write,
                part_choices=part_choices(parts.values(), page.locale),
                location_choices=location_choices(loc for loc in locations.values() if loc.active),
                typed=typed or {}, errors=errors or {}, refusal=refusal)
