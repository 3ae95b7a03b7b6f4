"""The stock pages' words for the codes stock records carry (``van``, ``transfer_out``, ``used``, ``credited`` …),
in the reader's language, looked up as every console label is (:class:`~aftersales.web.console.labels.CodeWords`)."""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.web.console.labels import N_, CodeWords

LOCATION_KINDS = {"warehouse": N_("Warehouse"), "service_point": N_("Service point"), "van": N_("Technician's van")}
CONDITIONS = {"new": N_("New"), "used": N_("Used")}
MOVEMENT_KINDS = {
    "receipt": N_("Receipt"), "transfer_out": N_("Transfer out"), "transfer_in": N_("Transfer in"),
    "reserve": N_("Reserved"), "release": N_("Released"), "issue": N_("Issued to a job"),
    "return": N_("Returned"), "scrap": N_("Scrapped"), "adjust": N_("Adjustment"),
}
RESERVATION_STATES = {"open": N_("Open"), "issued": N_("Issued"), "released": N_("Released")}
RETURN_BATCH_STATES = {"open": N_("Open"), "sent": N_("Sent"), "credited": N_("Credited"),
                       "rejected": N_("Rejected")}
RETURN_BATCH_TONES = {"open": "warn", "sent": "neutral", "credited": "good", "rejected": "bad"}
"""The badge colour of each return batch state (always beside its label)."""


@dataclass(frozen=True)
class StockLabels(CodeWords):
    """``stock_labels.movement("issue")`` → ``Issued to a job`` in the page's language (stock templates get one)."""

    def location_kind(self, code: str) -> str:
        return self._of(LOCATION_KINDS, code)

    def condition(self, code: str) -> str:
        return self._of(CONDITIONS, code)

    def movement(self, code: str) -> str:
        return self._of(MOVEMENT_KINDS, code)

    def reservation(self, code: str) -> str:
        return self._of(RESERVATION_STATES, code)

    def batch(self, code: str) -> str:
        return self._of(RETURN_BATCH_STATES, code)

    def batch_tone(self, code: str) -> str:
        return RETURN_BATCH_TONES.get(code, "neutral")
