"""Importing stock from a CSV file: all rows or none.

The file has the header ``part,location,quantity,condition`` (part number and location code as the tenant
writes them; condition ``new`` or ``used``, ``new`` when empty). Two modes:

* ``receipt``: each row's quantity arrives at its location (a ``receipt`` movement);
* ``count``: each row's quantity is what was counted there; the difference from the ledger is written as an
  ``adjust`` movement (none when they agree). A count below what is reserved there is refused.

Every movement carries the file's reason. Every bad row is reported at once (``rows.<line>.<field>``, the line
of the file, the header being line 1) and nothing is written. Small files only (:data:`MAX_ROWS`): a tenant's
stock-take, not a data migration. The standard library's ``csv`` reads the rows.
"""

from __future__ import annotations

import csv
import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import FieldError, InvalidInput
from aftersales.http.control_characters import text_problems
from aftersales.parts import ledger
from aftersales.parts.levels import level
from aftersales.parts.models import Condition, MovementKind, StockLocation, StockMovement
from aftersales.parts.movements import MAX_REASON
from aftersales.service.quotes.models import PartPrice
from aftersales.service.quotes.price_list import RATE_CODES

HEADER = ("part", "location", "quantity", "condition")
MAX_ROWS = 5_000
MAX_BYTES = 1024 * 1024
MAX_REPORTED = 200


class ImportMode(enum.StrEnum):
    RECEIPT = "receipt"
    COUNT = "count"


@dataclass(frozen=True)
class _Row:
    line: int
    part: PartPrice
    location: StockLocation
    quantity: int
    condition: str


@dataclass(frozen=True)
class Imported:
    """What an import wrote."""

    rows: int
    movements: list[StockMovement]


def _refuse(errors: list[FieldError]) -> InvalidInput:
    return InvalidInput("nothing was imported", errors[:MAX_REPORTED])


def _lines(body: bytes) -> list[list[str]]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse([FieldError("file", "is not UTF-8 text", code="stock.import_encoding")]) from None
    try:
        return list(csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise _refuse([FieldError("file", f"is not CSV: {exc}", code="stock.import_malformed")]) from None


def _quantity(cell: str, field: str) -> tuple[int | None, list[FieldError]]:
    value = cell.strip()
    bad = [FieldError(field, f"must be a whole number from 0 to {ledger.MAX_QUANTITY}",
                      code="stock.quantity_range", params={"limit": ledger.MAX_QUANTITY})]
    if not value.isascii() or not value.isdigit() or len(value) > 7:
        return None, bad
    number = int(value)
    return (number, []) if number <= ledger.MAX_QUANTITY else (None, bad)


def _askable(code: str, limit: int) -> bool:
    """Whether ``code`` may be looked up at all (PostgreSQL refuses a NUL in a query, a longer one is no code)."""
    return len(code) <= limit and not text_problems(code, "")


async def _rows(session: AsyncSession, lines: list[list[str]], mode: ImportMode) -> list[_Row]:
    """Every row checked; :raises InvalidInput: every bad one (nothing written)."""
    if not lines or [cell.strip().lower() for cell in lines[0]] != list(HEADER):
        raise _refuse([FieldError("file", f"the first line must be {','.join(HEADER)}", code="stock.import_header")])
    body = [(number, cells) for number, cells in enumerate(lines[1:], start=2) if any(c.strip() for c in cells)]
    if not body:
        raise _refuse([FieldError("file", "has no rows", code="stock.import_empty")])
    if len(body) > MAX_ROWS:
        raise _refuse([FieldError("file", f"at most {MAX_ROWS} rows", code="stock.import_too_long",
                                  params={"limit": MAX_ROWS})])
    codes = {c for c in (cells[0].strip() for _, cells in body if cells) if _askable(c, 60)}
    places = {c for c in (cells[1].strip() for _, cells in body if len(cells) > 1) if _askable(c, 40)}
    parts = {p.code: p for p in await session.scalars(select(PartPrice).where(PartPrice.code.in_(codes)))
             if p.code not in RATE_CODES}
    locations = {loc.code: loc for loc in await session.scalars(select(StockLocation).where(
        StockLocation.code.in_(places), StockLocation.active.is_(True)))}
    errors: list[FieldError] = []
    rows: list[_Row] = []
    seen: set[tuple[str, str, str]] = set()
    for number, cells in body:
        where = f"rows.{number}"
        if len(cells) not in (3, 4):
            errors.append(FieldError(where, f"must have the {len(HEADER)} columns {','.join(HEADER)}",
                                     code="stock.import_columns"))
            continue
        cells = [cell.strip() for cell in cells] + ([""] if len(cells) == 3 else [])
        problems = [p for name, cell in zip(HEADER, cells, strict=True) for p in text_problems(cell, f"{where}.{name}")]
        if problems:
            errors += problems
            continue
        code, place, count, condition = cells
        condition = condition or Condition.NEW
        quantity, bad = _quantity(count, f"{where}.quantity")
        errors += bad
        if mode == ImportMode.RECEIPT and quantity == 0:
            errors.append(FieldError(f"{where}.quantity", "a receipt is of 1 or more", code="stock.quantity_range"))
        if code not in parts:
            errors.append(FieldError(f"{where}.part", f"{code[:60]!r} is not a part of the tenant's catalogue",
                                     code="stock.unknown_part"))
        if place not in locations:
            errors.append(FieldError(f"{where}.location", f"{place[:40]!r} is not an active stock location",
                                     code="stock.unknown_location"))
        errors += ledger.condition_errors(condition, f"{where}.condition")
        if mode == ImportMode.COUNT and (code, place, condition) in seen:
            errors.append(FieldError(where, "the same part, location and condition are counted on an earlier row",
                                     code="stock.import_duplicate"))
        seen.add((code, place, condition))
        if quantity is not None and code in parts and place in locations and condition in tuple(Condition):
            rows.append(_Row(number, parts[code], locations[place], quantity, condition))
    if errors:
        raise _refuse(errors)
    return rows


async def import_stock(session: AsyncSession, body: bytes, *, mode: ImportMode, reason: str, actor: str,
                       now: datetime) -> Imported:
    """Import the CSV ``body``: all rows, or none (:raises InvalidInput: every bad row, and a missing reason)."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise _refuse([FieldError("reason", f"say why, in 1 to {MAX_REASON} characters", code="stock.reason_required",
                                  params={"limit": MAX_REASON})])
    if len(body) > MAX_BYTES:
        raise _refuse([FieldError("file", f"at most {MAX_BYTES} bytes", code="stock.import_too_long")])
    rows = await _rows(session, _lines(body), mode)
    if mode == ImportMode.COUNT:  # counts lower stock: every part's lock, in one order (no deadlock)
        for part_id in sorted({row.part.id for row in rows}):
            await ledger.lock_part(session, part_id)
    movements: list[StockMovement] = []
    errors: list[FieldError] = []
    for row in rows:
        delta = row.quantity
        if mode == ImportMode.COUNT:
            held = await level(session, row.part.id, row.location.id, row.condition)
            delta = row.quantity - held.on_hand
            if row.quantity < held.reserved:
                errors.append(FieldError(f"rows.{row.line}.quantity", f"{held.reserved} are reserved there for jobs",
                                         code="stock.below_reserved", params={"reserved": held.reserved}))
                continue
            if delta == 0:
                continue
        movements.append(StockMovement(
            part_id=row.part.id, location_id=row.location.id, condition=row.condition,
            kind=MovementKind.RECEIPT if mode == ImportMode.RECEIPT else MovementKind.ADJUST,
            on_hand_delta=delta, reserved_delta=0, reason=reason, actor=actor))
    if errors:
        raise _refuse(errors)
    for movement in movements:
        await ledger.record(session, movement, now=now)
    return Imported(rows=len(rows), movements=movements)
