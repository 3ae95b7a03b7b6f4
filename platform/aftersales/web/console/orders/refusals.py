"""The orders services' refusals of an action on an order, in the reader's language: a conflict worded by its
code, a field's reason by its field (a reason neither knows is shown as the service gave it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from aftersales.errors import Conflict, InvalidInput
from aftersales.web.console.console_pages import Clock
from aftersales.web.console.orders.words import OrderLabels


def _last_day(clock: Clock, valid_until: str) -> str:
    """The last day a pro-forma valid until the instant ``valid_until`` (the midnight ending it) could be paid."""
    ends = datetime.fromisoformat(valid_until) - timedelta(microseconds=1)
    return clock.page.fmt.date(ends.astimezone(clock.zone).date())


def conflict_reason(clock: Clock, exc: Conflict) -> str:
    """Why the order's state refused the action."""
    _ = clock.page.translations.gettext
    params = exc.params
    labels = OrderLabels(clock.page.translations)
    words = {
        "order.not_awaiting_payment": lambda: _("The order is %(state)s: this is done only while it awaits "
                                                "payment.") % {"state": labels.state(str(params.get("state")))},
        "order.escalation_open": lambda: _(
            "The order's cheque is escalated to finance: finance closes the escalation first."),
        "order.no_open_escalation": lambda: _("The order has no open cheque escalation."),
        "proforma.expired": lambda: _("The pro-forma expired at the end of %(date)s and can no longer be paid: "
                                      "issue a new one.") % {"date": _last_day(clock, params["valid_until"])},
        "proforma.not_open": lambda: _("The pro-forma is %(state)s: only an open one is paid.") % {
            "state": labels.proforma(str(params.get("state")))},
    }
    worded = words.get(exc.code or "")
    return worded() if worded is not None else exc.detail


def field_reasons(clock: Clock, exc: InvalidInput) -> dict[str, str]:
    """Each refused field's reason (the first per field): by its code, else by its field."""
    _ = clock.page.translations.gettext
    by_code = {
        "delivery_change.nothing_asked": lambda e: _("Write the new address, phone number or province."),
        "delivery_change.empty": lambda e: _("Write the new address, phone number or province."),
        "delivery_change.too_long": lambda e: _("Too long: at most %(count)s characters.") % {
            "count": clock.page.fmt.number(e.params["limit"])},
        "province.unknown": lambda e: _("Not a province code: write it as IR-23 (Tehran), IR-10 (Isfahan) …"),
        "province.other_country": lambda e: _("This province is not in the company's country."),
    }
    words = {
        "reason": lambda: _("Say why the order is cancelled: the customer is told."),
        "note": lambda: _("Say what finance decided."),
        "method": lambda: _("This order's payment plan is not paid so."),
        "reference": lambda: _("Give the cheque's number or the bank's reference."),
        "store": lambda: _("This is too long."),
        "delivery_phone": lambda: _("This is not a phone number we can call."),
    }
    reasons: dict[str, str] = {}
    for error in exc.errors:
        if (coded := by_code.get(error.code or "")) is not None:
            reasons.setdefault(error.field, coded(error))
        elif (worded := words.get(error.field)) is not None:
            reasons.setdefault(error.field, worded())
        else:
            reasons.setdefault(error.field, error.reason)
    return reasons
