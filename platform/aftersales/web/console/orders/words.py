"""The order desk's words for the codes orders carry (``awaiting_payment``, ``cheque``, ``dispatched`` …), in the
reader's language, looked up as every console label is (:class:`~aftersales.web.console.labels.CodeWords`)."""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.web.console.labels import N_, CodeWords

ORDER_STATES = {
    "awaiting_payment": N_("Awaiting payment"), "funded": N_("Funded"), "allocated": N_("Allocated"),
    "dispatched": N_("Dispatched"), "delivered": N_("Delivered"), "installed": N_("Installed"),
    "cancelled": N_("Cancelled"),
}
ORDER_TONES = {"awaiting_payment": "warn", "funded": "good", "installed": "good", "cancelled": "bad"}
"""The badge colour of each order state (always beside its label)."""
PAYMENT_PLANS = {"cash": N_("Cash"), "cheque": N_("Cheque"), "credit": N_("Credit (instalments)")}
PAY_METHODS = {"cash": N_("Cash"), "bank_transfer": N_("Bank transfer"), "cheque": N_("Cheque")}
CHANNELS = {"agent": N_("By an agent"), "portal": N_("Customer portal")}
PROFORMA_STATES = {"open": N_("Open"), "paid": N_("Paid"), "expired": N_("Expired"), "void": N_("Void")}
CHANGE_KINDS = {"address": N_("Delivery address"), "phone": N_("Delivery phone"), "province": N_("Province")}
CHANGE_STATES = {"applied": N_("Applied"), "refused": N_("Refused")}
CARD_STATES = {"owed": N_("Owed"), "issued": N_("Issued"), "refused": N_("Refused")}
WAREHOUSE_KINDS = {"central": N_("Central"), "regional": N_("Regional")}


@dataclass(frozen=True)
class OrderLabels(CodeWords):
    """``order_labels.state("funded")`` → ``Funded`` in the page's language (order templates get one)."""

    def state(self, code: str) -> str:
        return self._of(ORDER_STATES, code)

    def tone(self, code: str) -> str:
        return ORDER_TONES.get(code, "neutral")

    def plan(self, code: str) -> str:
        return self._of(PAYMENT_PLANS, code)

    def method(self, code: str) -> str:
        return self._of(PAY_METHODS, code)

    def channel(self, code: str) -> str:
        return self._of(CHANNELS, code)

    def proforma(self, code: str) -> str:
        return self._of(PROFORMA_STATES, code)

    def change_kind(self, code: str) -> str:
        return self._of(CHANGE_KINDS, code)

    def change(self, code: str) -> str:
        return self._of(CHANGE_STATES, code)

    def card(self, code: str) -> str:
        return self._of(CARD_STATES, code)

    def warehouse(self, code: str) -> str:
        return self._of(WAREHOUSE_KINDS, code)
