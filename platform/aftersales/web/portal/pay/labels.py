"""How the money pages name a payment's purpose and state and a refund's state and requirements, in the
customer's language, with the colour of each state."""

from __future__ import annotations

from babel.support import Translations

PAYMENT_TONES = {"pending": "warn", "requires_action": "warn", "authorized": "good", "captured": "good",
                 "failed": "bad", "canceled": "", "bounced": "bad"}
REFUND_TONES = {"refused": "bad", "awaiting_approval": "warn", "approved": "good", "processing": "warn",
                "rejected": "bad", "executed": "good"}


def purpose_label(translations: Translations, purpose: str) -> str:
    """What a payment was for."""
    _ = translations.gettext
    return {"job": _("Marketplace job"), "repair": _("Repair"), "order": _("Order"),
            "wallet_top_up": _("Store credit top-up")}.get(purpose, purpose)


def payment_state_label(translations: Translations, state: str) -> str:
    """Where a payment stands, as the customer would say it."""
    _ = translations.gettext
    return {"pending": _("Waiting"), "requires_action": _("Waiting for you"), "authorized": _("Authorised"),
            "captured": _("Paid"), "failed": _("Failed"), "canceled": _("Cancelled"),
            "bounced": _("Cheque bounced")}.get(state, state)


def refund_state_label(translations: Translations, state: str) -> str:
    """Where a refund request stands."""
    _ = translations.gettext
    return {"refused": _("Refused"), "awaiting_approval": _("Requested: with our finance team"),
            "approved": _("Approved"), "processing": _("On its way"), "rejected": _("Rejected"),
            "executed": _("Paid back")}.get(state, state)


def method_label(translations: Translations, method: str) -> str:
    """How refunded money reaches the customer."""
    _ = translations.gettext
    return {"original_payment": _("Back to the way you paid"), "wallet": _("As store credit"),
            "bank_transfer": _("By bank transfer to your IBAN")}.get(method, method)


def requirement_label(translations: Translations, requirement: str) -> str:
    """What is still missing before a refund can be granted."""
    _ = translations.gettext
    return {"identity_verified": _("Your national ID, checked by our staff"),
            "iban": _("Your IBAN (Sheba) on file"),
            "iban_owner_matches_national_id": _("The bank's confirmation that the IBAN is in your own name"),
            "expert_price": _("An expert's price assessment"), "invoice_price": _("The price on your invoice"),
            "sale_date": _("The date of sale")}.get(requirement, requirement)


def refund_step_label(translations: Translations, kind: str) -> str:
    """A step on a refund's timeline."""
    _ = translations.gettext
    return {"requested": _("You asked for the refund"), "refused": _("The refund rules refused it"),
            "awaiting_approval": _("Sent to our finance team"), "approved": _("Approved"),
            "rejected": _("Rejected by our finance team"), "processing": _("Payment started"),
            "executed": _("Paid back"), "execution_failed": _("The payment failed; our team is on it")}.get(kind, kind)
