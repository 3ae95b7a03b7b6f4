"""What the customer reads for the codes an order carries: its state, its payment plan, a festival card's
state. Marked with ``N_`` and translated when shown (``_(words.order_states[code])``), as
:mod:`aftersales.web.portal.account.words` does for requests."""

from __future__ import annotations

from types import SimpleNamespace

from aftersales.web.portal.account.words import N_, Words

ORDER_STATES = Words({
    "awaiting_payment": N_("Waiting for your payment"),
    "funded": N_("Paid, being prepared"),
    "allocated": N_("Being prepared at the warehouse"),
    "dispatched": N_("On its way"),
    "delivered": N_("Delivered"),
    "installed": N_("Installed"),
    "cancelled": N_("Cancelled"),
}, N_("In progress"))

PAYMENT_PLANS = Words({
    "cash": N_("Cash"),
    "cheque": N_("Cheque"),
    "credit": N_("Credit (instalments)"),
}, N_("Payment"))

CARD_STATES = Words({
    "owed": N_("Owed to you: confirmed at installation"),
    "issued": N_("Issued"),
    "refused": N_("Refused"),
}, N_("Owed to you: confirmed at installation"))

WORDS = SimpleNamespace(order_states=ORDER_STATES, payment_plans=PAYMENT_PLANS, card_states=CARD_STATES)
"""Every table, as the order templates receive it (``words``)."""
