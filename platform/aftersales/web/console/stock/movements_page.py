"""The stock ledger in the console (``/console/stock/movements``): movements newest first, a page at a time
(after the last row shown, :func:`aftersales.parts.movements.movements_page`), filtered by part, location and
kind; each row says the job it served. Reading needs ``stock:read``; an unknown filter value or page mark is
dropped and said (422)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get
from litestar.response import Template

from aftersales.http.context import SessionDep, TenantDep
from aftersales.parts.models import MovementKind, StockMovement
from aftersales.parts.movements import movements_page
from aftersales.web.console.console_pages import console_page, parse_id, show, staff_names
from aftersales.web.console.stock import access
from aftersales.web.console.stock.choices import (
    location_choices,
    locations_by_id,
    part_choices,
    part_name,
    parts_by_id,
)
from aftersales.web.console.stock.filters import Filter, read_filter
from aftersales.web.console.stock.jobs import request_numbers
from aftersales.web.console.stock.words import StockLabels
from aftersales.web.forms import field
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController

PAGE_SIZE = 50


@dataclass(frozen=True)
class LedgerView:
    """The filter and the page mark (the id of the previous page's last row)."""

    filter: Filter
    after: str = ""

    def query(self, after: str = "") -> str:
        """The query string of this filter at the page after ``after`` (the first page without it)."""
        pairs = {"part": self.filter.part, "location": self.filter.location, "kind": self.filter.kind,
                 "after": after}
        return urlencode({k: v for k, v in pairs.items() if v})


@dataclass(frozen=True)
class MovementRow:
    """A ledger row with its part and location named."""

    movement: StockMovement
    part_code: str
    part_name: str
    location_code: str


class ConsoleStockLedgerController(PageController):
    """The movements page."""

    @get("/console/stock/movements")
    async def movements(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                        viewer: ViewerDep) -> Template:
        """A page of movements, newest first (the rows alone for HTMX)."""
        access.reader(viewer)
        page, clock = console_page(request, tenant, viewer)
        parts, locations = await parts_by_id(session), await locations_by_id(session)
        which, bad = read_filter(request.query_params, parts=parts, locations=locations,
                                 kinds=set(MovementKind))
        view = LedgerView(which, field(request.query_params, "after"))
        after = parse_id(view.after) if view.after else None
        if view.after and after is None:
            bad.add("after")
            view = replace(view, after="")
        found = await movements_page(session, part_id=which.part_id, location_id=which.location_id,
                                     request_id=None, booking_id=None, after=after, limit=PAGE_SIZE + 1,
                                     kind=which.kind or None)
        shown = found[:PAGE_SIZE]
        rows = []
        for m in shown:
            part, place = parts.get(m.part_id), locations.get(m.location_id)
            rows.append(MovementRow(m, part.code if part else "—", part_name(part, page.locale) if part else "",
                                    place.code if place else "—"))
        return show(request, page, clock, "console/stock/movements.html",
                    partial="console/stock/movements_rows.html", status_code=422 if bad else 200, section="stock",
                    tab="movements", which=which, view=view, bad=bad, rows=rows,
                    next_mark=str(shown[-1].id) if len(found) > PAGE_SIZE else "",
                    jobs=await request_numbers(session, (m.request_id for m in shown)),
                    names=await staff_names(session, {m.actor for m in shown}),
                    part_choices=part_choices(parts.values(), page.locale),
                    location_choices=location_choices(locations.values()),
                    kind_choices=[(k.value, StockLabels(page.translations).movement(k)) for k in MovementKind],
                    stock_labels=StockLabels(page.translations))
