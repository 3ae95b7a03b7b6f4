"""The orders services' refusals of an action on an order, in the reader's language: a conflict worded by its
code, a field's reason by its field (a reason neither knows is shown as the service gave it)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from aftersales.errors import Conflict, InvalidInput
from aftersales.web.console.console_pages import Clock
from aftersales.web.console.orders.words import OrderLabels

FORM_FIELDS = {"starts_at": "starts_on"}
"""The form's field for a service's field that the form types in parts (a start's day and time)."""


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
        "fulfilment.wrong_state": lambda: _("The order is %(state)s: this cannot be done to it now.") % {
            "state": labels.state(str(params.get("state")))},
        "fulfilment.installation_booked": lambda: _("The installation is booked already."),
        "fulfilment.not_booked": lambda: _("Book the installation first."),
    }
    worded = words.get(exc.code or "")
    return worded() if worded is not None else exc.detail


def _day(clock: Clock, iso: str) -> str:
    """An ISO date from a refusal's params in the reader's calendar."""
    return clock.page.fmt.date(date.fromisoformat(iso))


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
        "fulfilment.unknown_warehouse": lambda e: _("Choose one of the company's warehouses."),
        "fulfilment.regional_province": lambda e: _(
            "The regional warehouse %(warehouse)s ships within %(province)s only: the order goes to "
            "%(order_province)s.") % {"warehouse": e.params["warehouse"], "province": e.params["province"],
                                      "order_province": e.params.get("order_province") or "—"},
        "date.out_of_window": lambda e: _("Enter a date between %(earliest)s and %(latest)s.") % {
            "earliest": _day(clock, e.params["earliest"]), "latest": _day(clock, e.params["latest"])},
        "fulfilment.installed_on": lambda e: _("The installation day is between the delivery (%(delivered)s) and "
                                               "today (%(today)s).") % {
            "delivered": _day(clock, e.params["delivered_on"]), "today": _day(clock, e.params["today"])},
        "fulfilment.invoice_date": lambda e: _("The invoice is dated between the order (%(ordered)s) and today "
                                               "(%(today)s).") % {
            "ordered": _day(clock, e.params["ordered_on"]), "today": _day(clock, e.params["today"])},
        "fulfilment.serials": lambda e: _("Give the serial of each unit delivered, one a line."),
        "fulfilment.unit_not_ordered": lambda e: _("This unit is not a model of the order."),
        "festival_card.name": lambda e: _("Name the festival (at most %(count)s characters).") % {
            "count": clock.page.fmt.number(e.params["limit"])},
        "festival_card.window_reversed": lambda e: _("The purchases end before they start."),
        "warehouse.code_length": lambda e: _("Give a code of at most %(count)s characters.") % {
            "count": clock.page.fmt.number(e.params["limit"])},
        "warehouse.name_length": lambda e: _("Give a name of at most %(count)s characters.") % {
            "count": clock.page.fmt.number(e.params["limit"])},
        "warehouse.unknown_kind": lambda e: _("Choose central or regional."),
    }
    words = {
        "reason": lambda: _("Say why the order is cancelled: the customer is told."),
        "note": lambda: _("Say what finance decided."),
        "method": lambda: _("This order's payment plan is not paid so."),
        "reference": lambda: _("Give the cheque's number or the bank's reference."),
        "store": lambda: _("This is too long."),
        "delivery_phone": lambda: _("This is not a phone number we can call."),
        "production_on": lambda: _("Enter the date as year-month-day."),
        "installed_on": lambda: _("Enter the date as year-month-day."),
        "invoice_date": lambda: _("Enter the date as year-month-day."),
        "purchases_from": lambda: _("Enter the date as year-month-day."),
        "purchases_until": lambda: _("Enter the date as year-month-day."),
        "starts_on": lambda: _("Enter the date as year-month-day."),
        "starts_at": lambda: _("The technician cannot be booked then."),
        "starts_time": lambda: _("Enter the time as hours:minutes."),
        "box_sealed": lambda: _("Say whether the box was sealed."),
        "provider_id": lambda: _("Choose an authorised technician who gives this installation."),
        "offering_id": lambda: _("Choose the installation the technician gives."),
        "serials": lambda: _("This serial is not on the company's register, or its unit is registered already."),
    }
    reasons: dict[str, str] = {}
    for error in exc.errors:
        name = FORM_FIELDS.get(error.field.split(".")[0], error.field.split(".")[0])
        if (coded := by_code.get(error.code or "")) is not None:
            reasons.setdefault(name, coded(error))
        elif (worded := words.get(name)) is not None:
            reasons.setdefault(name, worded())
        else:
            reasons.setdefault(name, error.reason)
    return reasons
