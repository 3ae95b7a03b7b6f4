"""What the customer reads for the codes the services store: request states and kinds, promise (clock) names,
timeline events, claim decisions, complaint subjects.

Marked with ``N_`` (extracted into the catalogues, translated when shown: ``_(words.state[code])`` in a
template), so each word lives once and a code without words falls back to a neutral one.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType, SimpleNamespace


def N_(message: str) -> str:  # the name gettext tools look for
    """Mark ``message`` for the catalogues without translating it here."""
    return message


class Words(Mapping[str, str]):
    """A read-only table of codes → message ids, with a fallback for codes it does not know."""

    def __init__(self, table: dict[str, str], fallback: str) -> None:
        self._table = MappingProxyType(table)
        self.fallback = fallback

    def __getitem__(self, code: str) -> str:
        return self._table.get(code, self.fallback)

    def __contains__(self, code: object) -> bool:
        return code in self._table

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


STATES = Words({
    "received": N_("Received"),
    "diagnosing": N_("Being checked"),
    "waiting_for_parts": N_("Waiting for parts"),
    "in_repair": N_("Being repaired"),
    "ready": N_("Ready for you"),
    "returned": N_("Returned to you"),
    "replaced": N_("Replaced"),
    "refunded": N_("Refunded"),
    "closed": N_("Closed"),
    "cancelled": N_("Cancelled"),
}, N_("In progress"))

KINDS = Words({
    "repair": N_("Repair"),
    "installation": N_("Installation"),
    "maintenance": N_("Maintenance"),
    "return": N_("Return"),
    "exchange": N_("Exchange"),
    "complaint": N_("Complaint"),
    "inquiry": N_("Question"),
}, N_("Request"))

PROMISES = Words({
    "first_response": N_("We contact you by"),
    "first_contact": N_("We contact you by"),
    "reply": N_("We reply by"),
    "onsite": N_("A technician visits by"),
    "result": N_("Result promised by"),
    "repair": N_("Repaired by"),
    "in_house_repair": N_("Repaired by"),
    "replacement": N_("Replacement offered if not solved by"),
    "parts_wait": N_("Parts expected by"),
    "complaint_response": N_("Answer to your complaint by"),
}, N_("Promised by"))
"""The promise each SLA clock keeps, as the customer reads it before a due date."""

PROMISE_STATES = Words({
    "waiting": N_("Not started yet"),
    "on_track": N_("On time"),
    "at_risk": N_("On time"),
    "breached": N_("Late"),
    "met": N_("Done"),
}, N_("On time"))
"""A customer is told whether a promise is kept, not how close to the line it is (at risk reads on time)."""

EVENTS = Words({
    "opened": N_("Request received"),
    "moved": N_("Status changed"),
    "contacted": N_("We contacted you"),
    "on_site": N_("The technician arrived"),
    "held": N_("Paused"),
    "released": N_("Work resumed"),
    "answered": N_("We answered your complaint"),
    "training_signed": N_("Training signed off"),
    "refund": N_("Refund"),
    "taken_in": N_("We took your device in"),
    "transfer_sent": N_("Your device is on its way"),
    "transfer_received": N_("Your device arrived"),
}, "")
"""Timeline events a customer sees; any other kind (notes, assignments, escalations) is internal."""

DECISIONS = Words({
    "return": N_("Return accepted"),
    "exchange": N_("Exchange accepted"),
    "free_repair": N_("Free repair"),
    "paid_repair": N_("Paid repair"),
    "reject": N_("Not covered"),
}, N_("Decided"))

COVERAGE = Words({
    "in_warranty": N_("Covered"),
    "expired": N_("Warranty ended"),
    "not_started": N_("Not started yet"),
    "no_warranty": N_("No free warranty"),
}, N_("No warranty recorded"))

SUBJECTS = Words({
    "staff_behaviour": N_("Staff behaviour"),
    "handling_time": N_("Handling time"),
    "cost": N_("Cost"),
    "store_violation": N_("A store broke the rules"),
    "other": N_("Something else"),
}, N_("Something else"))

FOLLOWUP_STATUSES = Words({
    "sent": N_("Waiting for your answer"),
    "answered": N_("Answered"),
}, N_("Closed"))


WORDS = SimpleNamespace(
    states=STATES, kinds=KINDS, promises=PROMISES, promise_states=PROMISE_STATES, events=EVENTS,
    decisions=DECISIONS, coverage=COVERAGE, subjects=SUBJECTS, followup_statuses=FOLLOWUP_STATUSES,
)
"""Every table, as templates receive it (``_(words.states[request.state])``)."""
