"""The stock services' refusals in the reader's language: a conflict worded by its code, a field's reason by its
code (a reason neither knows is shown as the service gave it)."""

from __future__ import annotations

from aftersales.contract.money import Money
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.web.console.console_pages import Clock
from aftersales.web.console.stock.words import StockLabels


def conflict_reason(clock: Clock, exc: Conflict) -> str:
    """Why the stock's state refused the action."""
    _ = clock.page.translations.gettext
    params, n = exc.params, clock.page.fmt.number
    labels = StockLabels(clock.page.translations)
    words = {
        "parts.short": lambda: _("Only %(available)s of part %(part)s can be reserved; %(wanted)s were asked for.") % {
            "available": n(params.get("available", 0)), "part": params.get("part", ""),
            "wanted": n(params.get("wanted", 0))},
        "stock.reservation_closed": lambda: _("The reservation is %(state)s already.") % {
            "state": labels.reservation(str(params.get("state")))},
        "parts.batch_state": lambda: _("The return batch is %(state)s: this cannot be done to it now.") % {
            "state": labels.batch(str(params.get("state")))},
        "stock.minimum_concurrent": lambda: _("Someone set this buffer at the same moment: look at it and set it "
                                              "again."),
        "parts.batch_empty": lambda: _("No faulty part of this supplier awaits return."),
        "parts.rma_taken": lambda: _("This supplier's RMA number is on another batch already."),
        "parts.batched_meanwhile": lambda: _("Someone put one of these parts into another batch meanwhile: look "
                                             "again."),
    }
    worded = words.get(exc.code or "")
    return worded() if worded is not None else exc.detail


def field_reason(clock: Clock, error: FieldError, *, least: int = 1) -> str:
    """Why one field was refused (``least``: the smallest quantity the form takes)."""
    _ = clock.page.translations.gettext
    n = clock.page.fmt.number
    params = error.params
    by_code = {
        "stock.quantity_range": lambda: _("Give a whole number from %(least)s to %(limit)s.") % {
            "least": n(least), "limit": n(params.get("limit", 1_000_000))},
        "stock.unknown_part": lambda: _("Choose a part of the catalogue."),
        "stock.unknown_location": lambda: _("Choose an open stock location."),
        "stock.unknown_condition": lambda: _("Choose new or used."),
        "stock.no_job": lambda: _("Give the number of the request the parts are for."),
        "stock.unknown_job": lambda: _("There is no request with this number."),
        "stock.more_than_reserved": lambda: _("At most the %(reserved)s reserved.") % {
            "reserved": n(params.get("reserved", 0))},
        "stock.reason_required": lambda: _("Say why."),
        "stock.reason_length": lambda: _("Too long: at most %(count)s characters.") % {
            "count": n(params.get("limit", 500))},
        "stock.below_reserved": lambda: _("%(reserved)s are reserved there for jobs: the count cannot be lower.") % {
            "reserved": n(params.get("reserved", 0))},
        "stock.import_columns": lambda: _("A row has the columns part, location, quantity and condition."),
        "stock.import_duplicate": lambda: _("The same part, location and condition are counted on an earlier row."),
        "stock.import_encoding": lambda: _("The file is not UTF-8 text: save it as CSV UTF-8 and try again."),
        "stock.import_malformed": lambda: _("The file is not a CSV file."),
        "stock.import_header": lambda: _("The first line must be the header part,location,quantity,condition."),
        "stock.import_empty": lambda: _("The file has no rows."),
        "stock.import_too_long": lambda: _("The file is too large: at most %(count)s rows.") % {
            "count": n(params.get("limit", 5000))},
        "text.control_character": lambda: _("Holds a control character, which is not allowed."),
        "money.beyond_cap": lambda: _("At most %(amount)s.") % {"amount": clock.page.fmt.money(
            Money(int(params.get("cap_minor", 0)), str(params.get("currency", "USD"))))},
    }
    worded = by_code.get(error.code or "")
    return worded() if worded is not None else error.reason


def field_reasons(clock: Clock, exc: InvalidInput, fields: dict[str, str] | None = None) -> dict[str, str]:
    """Each refused field's reason (the first per field), under the form's name for it (``fields`` maps the
    service's field to the form's)."""
    reasons: dict[str, str] = {}
    for error in exc.errors:
        name = error.field.split(".")[0]
        reasons.setdefault((fields or {}).get(name, name), field_reason(clock, error))
    return reasons
