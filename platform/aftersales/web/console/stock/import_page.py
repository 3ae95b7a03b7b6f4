"""Importing stock from a CSV file in the console (``/console/stock/import``, ``stock:write``): the file, whether
its quantities arrive (receipts) or are what was counted (the differences are adjustments), and the reason every
movement carries. The stock importer (:func:`aftersales.parts.imports.import_stock`) takes all rows or none: a bad
row is listed with its line, column and reason in the reader's language (422), and nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.response import Template

from aftersales.db.base import utcnow
from aftersales.errors import InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.parts.imports import MAX_BYTES, ImportMode, import_stock
from aftersales.web.console.console_pages import Clock, actor_of, console_page, show
from aftersales.web.console.stock import access
from aftersales.web.console.stock.refusals import field_reason
from aftersales.web.console.stock.words import StockLabels
from aftersales.web.forms import field
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController

SHOWN_ERRORS = 200
FORM_BYTES = MAX_BYTES + 64 * 1024
"""The largest form taken: the importer's largest file and the form's other fields."""


@dataclass(frozen=True)
class RowError:
    """A refused row: its line in the file (the header is line 1), its column (empty: the whole row), why."""

    row: int
    column: str
    reason: str


@dataclass
class Outcome:
    """What the page says after an upload."""

    row_errors: list[RowError]
    file_error: str = ""
    reason_error: str = ""
    mode_error: str = ""


def outcome_of(clock: Clock, exc: InvalidInput, mode: ImportMode) -> Outcome:
    """The importer's refusal as the page shows it: row errors by line, the file's and reason's apart."""
    found = Outcome([])
    for error in exc.errors:
        words = field_reason(clock, error, least=0 if mode == ImportMode.COUNT else 1)
        head, _, rest = error.field.partition(".")
        if head == "rows":
            line, _, column = rest.partition(".")
            found.row_errors.append(RowError(int(line) if line.isdigit() else 0, column, words))
        elif head == "reason":
            found.reason_error = found.reason_error or words
        else:
            found.file_error = found.file_error or words
    return found


def _show(request: Request[Any, Any, Any], tenant: Any, viewer: Any, *, status_code: int = 200,
          typed: dict[str, str] | None = None, outcome: Outcome | None = None, imported: int | None = None) -> Template:
    page, clock = console_page(request, tenant, viewer)
    _ = page.translations.gettext
    outcome = outcome or Outcome([])
    errors = outcome.row_errors
    return show(request, page, clock, "console/stock/import.html", status_code=status_code, section="stock",
                tab="import", typed=typed or {"mode": ImportMode.RECEIPT.value}, modes={
                    ImportMode.RECEIPT.value: _("Receipts: each row's quantity arrives at its location"),
                    ImportMode.COUNT.value: _("Stock-take: each row's quantity is what was counted there; the "
                                              "difference is recorded as an adjustment")},
                    columns_help=_("A CSV file (UTF-8) with the header part,location,quantity,condition: the part "
                                   "number, the location's code, a whole number, and new or used (new when empty)."),
                    row_errors=errors[:SHOWN_ERRORS], more_errors=max(0, len(errors) - SHOWN_ERRORS),
                    file_error=outcome.file_error, reason_error=outcome.reason_error,
                    mode_error=outcome.mode_error, imported=imported,
                    stock_labels=StockLabels(page.translations))


class ConsoleStockImportController(PageController):
    """The stock import form."""

    @get("/console/stock/import")
    async def form(self, request: Request[Any, Any, Any], tenant: TenantDep, viewer: ViewerDep) -> Template:
        """The upload form."""
        access.writer(viewer)
        return _show(request, tenant, viewer)

    @post("/console/stock/import", status_code=200, request_max_body_size=FORM_BYTES)
    async def upload(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                     viewer: ViewerDep) -> Template:
        """Import the file: the count of rows imported, or every bad row and nothing written (422)."""
        staff = access.writer(viewer)
        page, clock = console_page(request, tenant, viewer)
        _ = page.translations.gettext
        form = await request.form()
        typed = {"mode": field(form, "mode"), "reason": field(form, "reason")}
        upload = form.get("file")
        outcome = Outcome([])
        if typed["mode"] not in set(ImportMode):
            outcome.mode_error = _("Choose receipts or a stock-take.")
        if not isinstance(upload, UploadFile) or not upload.filename:
            outcome.file_error = _("Choose the CSV file to import.")
        if outcome.mode_error or outcome.file_error:
            return _show(request, tenant, viewer, status_code=422, typed=typed, outcome=outcome)
        body = await upload.read(MAX_BYTES + 1)
        try:
            async with session.begin_nested():
                done = await import_stock(session, body, mode=ImportMode(typed["mode"]), reason=typed["reason"],
                                          actor=actor_of(staff), now=utcnow())
        except InvalidInput as exc:
            return _show(request, tenant, viewer, status_code=422, typed=typed, outcome=outcome_of(clock, exc, ImportMode(typed["mode"])))
        return _show(request, tenant, viewer, typed={"mode": typed["mode"]}, imported=done.rows)
