"""The delivery-change service's refusals of what the customer typed, in the customer's language: worded by the
reason's code, or by its field where it carries none (a reason neither knows is shown as the service gave it)."""

from __future__ import annotations

from aftersales.errors import FieldError, InvalidInput
from aftersales.web.portal.rendering import Page


def change_reasons(page: Page, exc: InvalidInput) -> dict[str, str]:
    """Each refused field's reason (the first per field); one about no field in particular under ``form``."""
    reasons: dict[str, str] = {}
    for error in exc.errors:
        name = error.field if error.field in ("delivery_address", "delivery_phone") else "form"
        reasons.setdefault(name, _reason(page, error))
    return reasons


def _reason(page: Page, error: FieldError) -> str:
    _ = page.translations.gettext
    by_code = {
        "delivery_change.nothing_asked": lambda: _("Write the new address or the new phone number."),
        "delivery_change.empty": lambda: _("Write the new address or the new phone number."),
        "delivery_change.too_long": lambda: _("Too long: at most %(count)s characters.") % {
            "count": page.fmt.number(error.params["limit"])},
    }
    if (worded := by_code.get(error.code or "")) is not None:
        return worded()
    if error.field == "delivery_phone":
        return _("This is not a phone number we can call.")
    return error.reason
