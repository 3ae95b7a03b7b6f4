"""The order form of the console: what an agent typed, read into the orders service's
:class:`~aftersales.orders.services.NewOrder`, and the service's refusals in the reader's language.

Amounts are typed in the tenant's currency in the reader's digits (``۴۵٬۰۰۰٬۰۰۰``); dates as the date picker
sends them or from an invoice, Jalali when the year says so. What cannot be read is said beside its field
before the service is asked; the service's own reasons are worded by their code, and by their field where they
carry none (a reason neither knows is shown as the service gave it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from aftersales.errors import FieldError, InvalidInput
from aftersales.identity.customers import CustomerDetails
from aftersales.orders.services import NewInstalment, NewLine, NewOrder
from aftersales.web.forms import field as posted_field
from aftersales.web.portal.account.forms import read_date, typed_amount, typed_minor
from aftersales.web.portal.rendering import Page

LINE_ROWS = 5
"""Product rows on the form (the service takes more through the API)."""
INSTALMENT_ROWS = 6
"""Instalment rows on the form, for a credit order."""
TEXT_FIELDS = ("customer_id", "customer_name", "customer_phone", "customer_email", "national_id", "payment_plan",
               "store", "delivery_address", "delivery_phone", "province", "promised_delivery_on")


@dataclass
class OrderForm:
    """What was typed, kept to fill the form again, and the reasons per field."""

    typed: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, posted: Any) -> OrderForm:
        """Every field of the posted form, trimmed."""
        names = [*TEXT_FIELDS, *(f"{n}_{i}" for i in range(LINE_ROWS) for n in ("sku", "quantity", "price")),
                 *(f"{n}_{i}" for i in range(INSTALMENT_ROWS) for n in ("due_on", "amount"))]
        return cls({name: posted_field(posted, name) for name in names})

    def get(self, name: str) -> str:
        return self.typed.get(name, "")


def new_order(form: OrderForm, page: Page, currency: str) -> NewOrder | None:
    """The order the form asks for, or None with ``form.errors`` saying what could not be read."""
    _ = page.translations.gettext
    errors = form.errors
    customer_id = None
    customer = None
    if form.get("customer_id"):
        try:
            customer_id = uuid.UUID(form.get("customer_id"))
        except ValueError:
            errors["customer_id"] = _("Choose the customer again from their file.")
    else:
        customer = CustomerDetails(name=form.get("customer_name"), phone=form.get("customer_phone") or None,
                                   email=form.get("customer_email") or None)
    lines = []
    for i in range(LINE_ROWS):
        sku, quantity, price = (form.get(f"{n}_{i}") for n in ("sku", "quantity", "price"))
        if not (sku or quantity or price):
            continue
        count = typed_amount(quantity or "1")
        if not count.isdigit():
            errors[f"quantity_{i}"] = _("Enter how many, as a whole number.")
            continue
        unit_price = None
        if price:
            unit_price = typed_minor(price, currency, page.locale)
            if unit_price is None:
                errors[f"price_{i}"] = _("Enter the price as a number in %(currency)s.") % {"currency": currency}
                continue
        lines.append(NewLine(sku=sku, quantity=int(count), unit_price_minor=unit_price))
    instalments = []
    for i in range(INSTALMENT_ROWS):
        due, amount = form.get(f"due_on_{i}"), form.get(f"amount_{i}")
        if not (due or amount):
            continue
        due_on, minor = read_date(due), typed_minor(amount, currency, page.locale)
        if due_on is None:
            errors[f"due_on_{i}"] = _("Enter the date as year-month-day.")
        if minor is None:
            errors[f"amount_{i}"] = _("Enter the price as a number in %(currency)s.") % {"currency": currency}
        if due_on is not None and minor is not None:
            instalments.append(NewInstalment(due_on=due_on, amount_minor=minor))
    promised = None
    if form.get("promised_delivery_on"):
        promised = read_date(form.get("promised_delivery_on"))
        if promised is None:
            errors["promised_delivery_on"] = _("Enter the date as year-month-day.")
    if errors:
        return None
    return NewOrder(payment_plan=form.get("payment_plan"), lines=tuple(lines), customer_id=customer_id,
                    customer=customer, national_id=form.get("national_id") or None, instalments=tuple(instalments),
                    store=form.get("store") or None, delivery_address=form.get("delivery_address"),
                    delivery_phone=form.get("delivery_phone") or None, province=form.get("province") or None,
                    promised_delivery_on=promised)


def _form_field(service_field: str) -> str:
    """The form's field for the service's (``lines.2.sku`` → ``sku_2``, ``customer.phone`` → ``customer_phone``)."""
    parts = service_field.split(".")
    if len(parts) == 3 and parts[0] in ("lines", "instalments"):
        name = {"unit_price_minor": "price", "amount_minor": "amount"}.get(parts[2], parts[2])
        return f"{name}_{parts[1]}"
    if parts[0] == "customer" and len(parts) == 2:
        return f"customer_{parts[1]}"
    return parts[0]


def refusal_reasons(page: Page, exc: InvalidInput) -> dict[str, str]:
    """The service's refusal, field by field, in the reader's language (the first reason per field)."""
    reasons: dict[str, str] = {}
    for error in exc.errors:
        name = _form_field(error.field)
        reasons.setdefault(name, _reason(page, name, error))
    return reasons


def _reason(page: Page, name: str, error: FieldError) -> str:
    _ = page.translations.gettext
    by_code = {
        "province.unknown": lambda: _("Not a province code: write it as IR-23 (Tehran), IR-10 (Isfahan) …"),
        "province.other_country": lambda: _("This province is not in the company's country."),
    }
    if (worded := by_code.get(error.code or "")) is not None:
        return worded()
    by_field = {
        "customer_id": lambda: _("Choose the customer again from their file."),
        "customer_name": lambda: _("Write the customer's name."),
        "customer_phone": lambda: _("Give the customer's phone number or e-mail address."),
        "customer_email": lambda: _("This is not an e-mail address."),
        "national_id": lambda: _("Check the national ID: it is needed, valid, and the one on file."),
        "payment_plan": lambda: _("Choose how the customer pays."),
        "lines": lambda: _("Order at least one product from the catalogue."),
        "sku": lambda: _("No product in the catalogue has this code."),
        "quantity": lambda: _("Enter how many, as a whole number."),
        "price": lambda: _("Give a price: this product has no list price."),
        "instalments": lambda: _("A credit order needs instalments that add up to the order's total."),
        "due_on": lambda: _("The instalment falls outside the schedule the company allows."),
        "amount": lambda: _("Enter an amount above zero."),
        "store": lambda: _("This is too long."),
        "delivery_address": lambda: _("This is too long."),
        "delivery_phone": lambda: _("This is not a phone number we can call."),
        "province": lambda: _("Not a province code: write it as IR-23 (Tehran), IR-10 (Isfahan) …"),
        "promised_delivery_on": lambda: _("The promised date must be between today and ten years from now."),
    }
    worded = by_field.get(name.rsplit("_", 1)[0] if name[-1].isdigit() else name)
    return worded() if worded is not None else error.reason
