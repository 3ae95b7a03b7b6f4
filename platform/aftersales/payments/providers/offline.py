"""The offline provider: cash, bank transfer and cheques, recorded by finance staff.

Nothing moves through an API: a cash or bank-transfer payment is received when staff record it, a refund is
paid out when staff hand it over or send the transfer. A cheque is ``pending`` until it clears or bounces;
its life is :mod:`aftersales.payments.customer_payments.cheques`.
"""

from __future__ import annotations

from aftersales.contract.money import Money
from aftersales.payments.providers.base import Capabilities, PaymentOrder, ProviderOutcome, RefundOrder

METHODS = ("cash", "bank_transfer", "cheque")


class OfflineProvider:
    """Money counted and sent by people; any currency."""

    name = "offline"
    capabilities = Capabilities(refund=True, partial_refund=True, payouts=False)

    def refusal(self, amount: Money, method: str) -> str | None:
        if method not in METHODS:
            return f"offline payments are {', '.join(METHODS)}, not {method}"
        return None

    async def collect(self, order: PaymentOrder) -> ProviderOutcome:
        """Cash and transfers are received as recorded; a cheque waits until it clears."""
        return ProviderOutcome("pending" if order.method == "cheque" else "succeeded")

    async def capture(self, payment_ref: str, amount: Money, operation_id: str) -> ProviderOutcome:
        return ProviderOutcome("succeeded", provider_ref=payment_ref)

    async def refund(self, order: RefundOrder) -> ProviderOutcome:
        """Handed back or transferred by finance staff, who record it."""
        return ProviderOutcome("succeeded")


def offline_provider() -> OfflineProvider:
    """The offline provider (it has no per-tenant configuration)."""
    return OfflineProvider()
