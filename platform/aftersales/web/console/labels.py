"""The console's words for the codes records carry (``waiting_for_parts``, ``at_risk``, ``bank_transfer`` …), in
the reader's language. A code without a label (a vertical's own clock name) is shown with spaces for
underscores."""

from __future__ import annotations

from dataclasses import dataclass

from babel.support import NullTranslations


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue; it is translated when shown."""
    return message


STATES = {
    "received": N_("Received"), "diagnosing": N_("Diagnosing"), "waiting_for_parts": N_("Waiting for parts"),
    "in_repair": N_("In repair"), "ready": N_("Ready"), "returned": N_("Returned"), "replaced": N_("Replaced"),
    "refunded": N_("Refunded"), "closed": N_("Closed"), "cancelled": N_("Cancelled"),
}
SLA = {
    "breached": N_("Breached"), "at_risk": N_("At risk"), "paused": N_("Paused"), "on_track": N_("On track"),
    "none": N_("No promise running"), "met": N_("Met"), "waiting": N_("Not started"),
    "attention": N_("Breached or at risk"),
}
SLA_TONES = {"breached": "bad", "at_risk": "warn", "paused": "paused", "on_track": "good", "met": "good"}
"""The badge colour of each SLA state (always beside its label: colour is never the only sign)."""
KINDS = {
    "repair": N_("Repair"), "installation": N_("Installation"), "maintenance": N_("Maintenance"),
    "return": N_("Return"), "exchange": N_("Exchange"), "complaint": N_("Complaint"), "inquiry": N_("Inquiry"),
}
CHANNELS = {
    "walk_in": N_("In person"), "phone": N_("Support phone"), "hotline": N_("24-hour hotline"),
    "portal": N_("Website form"), "social": N_("Social channels"), "email": N_("E-mail"), "letter": N_("Letter"),
    "fax": N_("Fax"),
}
"""How a request came in (:data:`aftersales.contract.values.CHANNELS`): every channel the seeds name."""
HOLD_REASONS = {
    "waiting_for_customer": N_("Waiting for the customer"), "customer_unreachable": N_("Customer unreachable"),
    "waiting_for_third_party": N_("Waiting for a third party"),
}
EVENTS = {
    "opened": N_("Opened"), "moved": N_("Moved"), "assigned": N_("Assigned"), "note": N_("Internal note"),
    "contacted": N_("Customer contacted"), "on_site": N_("Technician on site"), "held": N_("Put on hold"),
    "released": N_("Hold ended"), "sla_breached": N_("Promise breached"), "escalated": N_("Escalated"),
    "answered": N_("Answered"),
    "taken_in": N_("Unit taken in"), "transfer_sent": N_("Unit sent"), "transfer_received": N_("Unit received"),
    "unit_missing": N_("Unit missing"),
}
CLOCKS = {
    "first_contact": N_("First contact"), "first_response": N_("First response"), "result": N_("Result"),
    "repair": N_("Repair"), "onsite": N_("On site"), "in_house_repair": N_("In-house repair"),
    "parts_wait": N_("Parts wait"), "replacement": N_("Replacement"), "reply": N_("Reply"),
    "complaint_response": N_("Complaint response"), "satisfaction_survey": N_("Satisfaction survey"),
}
REFUND_STATES = {
    "refused": N_("Refused"), "awaiting_approval": N_("Awaiting approval"), "approved": N_("Approved"),
    "rejected": N_("Rejected"), "processing": N_("Processing"), "executed": N_("Paid out"),
}
REFUND_METHODS = {"original_payment": N_("Back to the original payment"), "wallet": N_("Wallet credit"),
                  "bank_transfer": N_("Bank transfer")}
REFUND_SOURCES = {"payment": N_("Payment"), "return": N_("Returned goods"), "wallet_balance": N_("Wallet balance"),
                  "replacement_refund": N_("Refund instead of replacement")}
PROVIDER_STATUSES = {"pending": N_("Pending"), "active": N_("Active"), "suspended": N_("Suspended")}
PROVIDER_KINDS = {"workshop": N_("Workshop"), "mobile_technician": N_("Mobile technician"),
                  "service_company": N_("Service company")}
RATING_STATUSES = {"counted": N_("Counted"), "held": N_("Held for review"), "rejected": N_("Rejected")}
PAYMENT_STATES = {"pending": N_("Pending"), "requires_action": N_("Waiting for the customer"),
                  "authorized": N_("Authorised"), "captured": N_("Paid"), "failed": N_("Failed"),
                  "canceled": N_("Cancelled"), "bounced": N_("Bounced")}


@dataclass(frozen=True)
class CodeWords:
    """Codes worded in the page's language from tables of translatable names: an empty code is a dash, a code
    without words (one added later) is shown with spaces for underscores."""

    translations: NullTranslations

    def _of(self, table: dict[str, str], code: str | None) -> str:
        if not code:
            return "—"
        known = table.get(code)
        return self.translations.gettext(known) if known else code.replace("_", " ")


@dataclass(frozen=True)
class Labels(CodeWords):
    """``labels.state("in_repair")`` → ``In repair`` in the page's language (templates get one as ``labels``)."""

    def state(self, code: str) -> str:
        return self._of(STATES, code)

    def sla(self, code: str) -> str:
        return self._of(SLA, code)

    def tone(self, code: str) -> str:
        return SLA_TONES.get(code, "neutral")

    def kind(self, code: str) -> str:
        return self._of(KINDS, code)

    def channel(self, code: str) -> str:
        return self._of(CHANNELS, code)

    def hold(self, code: str) -> str:
        return self._of(HOLD_REASONS, code)

    def event(self, code: str) -> str:
        return self._of(EVENTS, code)

    def clock(self, code: str) -> str:
        return self._of(CLOCKS, code)

    def refund(self, code: str) -> str:
        return self._of(REFUND_STATES, code)

    def method(self, code: str | None) -> str:
        return self._of(REFUND_METHODS, code)

    def source(self, code: str) -> str:
        return self._of(REFUND_SOURCES, code)

    def provider(self, code: str) -> str:
        return self._of(PROVIDER_STATUSES, code)

    def provider_kind(self, code: str) -> str:
        return self._of(PROVIDER_KINDS, code)

    def rating(self, code: str) -> str:
        return self._of(RATING_STATUSES, code)

    def payment(self, code: str) -> str:
        return self._of(PAYMENT_STATES, code)
